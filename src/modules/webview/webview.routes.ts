// The mobile app's WebView chat (docs/mobile-webview.md): the two pages the app opens (the human
// agents' chat at the spec's /UIMClient/Chat, the robot's at /wise/webchat/Chat), the page's start
// and robot hand-off, the app's answers the page passes on, and the agent's requests to the app.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type SiteContext, siteContext } from '../../platform/context.ts';
import { BadRequest, Forbidden, InvalidState, NotFound } from '../../platform/errors.ts';
import { Id, problems } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { ChatService, ChatView } from '../chat/index.ts';
import type { VisitorsService } from '../visitors/index.ts';
import { SKILL_NAME, type WebviewSettingsStore } from './webview.settings.ts';
import type { PageKind, Tickets } from './webview.tickets.ts';
import { type Customer, MAX_TOKEN_LENGTH, TokenProblem, verifySsotoken } from './webview.token.ts';

export interface WebviewRoutesDeps {
  chats: ChatService;
  visitors: Pick<VisitorsService, 'openSession' | 'customers' | 'contacts'>;
  settings: WebviewSettingsStore;
  tickets: Tickets;
  /** The open site's partner, or undefined for a missing or closed site. */
  openSite(siteId: number): Promise<{ partnerId: number } | undefined>;
  /** The theme stylesheet of a partner's brand. */
  themeOf(partnerId: number): Promise<string | null>;
  page(values: { config: Record<string, unknown>; themeCssUrl: string | null }): string;
}

/** The pages: the spec's addresses, and Parley's own. */
const PAGES: { path: string; page: PageKind }[] = [
  { path: '/UIMClient/Chat', page: 'agent' },
  { path: '/wise/webchat/Chat', page: 'robot' },
  { path: '/webview/chat', page: 'agent' },
  { path: '/webview/robot', page: 'robot' },
];

/** The app's `Language`: the spec's `Chinese` is Traditional Chinese (a Taiwanese bank's); BCP 47 tags pass through. */
export function languageOf(raw: string | undefined): string | null {
  const v = (raw ?? '').trim();
  if (v === '') return null;
  if (/^chinese$/i.test(v)) return 'zh-TW';
  if (/^(english)$/i.test(v)) return 'en';
  if (/^(russian)$/i.test(v)) return 'ru';
  return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(v) ? v : null;
}

const Text = (max: number, description?: string) => Type.String({ maxLength: max, ...(description && { description }) });

/** The spec's request, as JSON (the app's POST), a form, or a query (trying it in a browser). */
const PageRequest = Type.Object(
  {
    Ssotoken: Type.Optional(Text(MAX_TOKEN_LENGTH, "The bank's signed-in customer; absent or empty: anonymous")),
    Language: Type.Optional(Text(35, '`Chinese` (Traditional) or a BCP 47 tag')),
    Skill: Type.Optional(Text(50, 'A skill of the site (e.g. Generic, MobChg)')),
    Urgent: Type.Optional(Text(20, 'Not empty: ahead in the queue')),
    params: Type.Optional(
      Type.Union([Type.Object({ chat_id_robot: Type.Optional(Text(100, 'The robot chat to continue (from event.ai.transfer_agent)')) }, { additionalProperties: true }), Text(500)]),
    ),
    'params.chat_id_robot': Type.Optional(Text(100)),
    chat_id_robot: Type.Optional(Text(100)),
  },
  { additionalProperties: true },
);
type PageRequest = Type.Static<typeof PageRequest>;

/** `params.chat_id_robot`, wherever a JSON body, a form or a query put it. */
function robotHandle(r: PageRequest): string | null {
  let params = r.params;
  if (typeof params === 'string') {
    try {
      params = JSON.parse(params) as { chat_id_robot?: string };
    } catch {
      params = undefined;
    }
  }
  const handle = (typeof params === 'object' && params !== null ? params.chat_id_robot : undefined) ?? r['params.chat_id_robot'] ?? r.chat_id_robot;
  return typeof handle === 'string' && handle.trim() !== '' ? handle.trim() : null;
}

const visitorCtx = (siteId: number, visitorId: number): SiteContext => siteContext({ kind: 'visitor', siteId, visitorId });

/** What the agent may ask of the customer's app (the spec's event.* from the human page). */
const RESULT_COMMANDS = ['event.mb.acc_upgrade_video', 'event.mb.loan_video', 'event.mb.withdraw_limit_adj', 'event.mb.credit_limit_adj', 'event.mb.predefined_acc_apply'] as const;
const AppEvent = Type.Union(
  [
    Type.Object({ command: Type.Literal('event.mb.channel_change'), params: Type.Object({ channel: Type.Union([Type.Literal('video'), Type.Literal('app_call'), Type.Literal('chat_only')]) }, { additionalProperties: false }) }, { additionalProperties: false }),
    Type.Object(
      {
        command: Type.Union(RESULT_COMMANDS.map((c) => Type.Literal(c))),
        params: Type.Object({ result: Type.Union([Type.Literal('00'), Type.Literal('01')], { description: '00 succeeded, 01 failed' }) }, { additionalProperties: false }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      { command: Type.Literal('event.chat.open_link'), params: Type.Object({ url: Type.String({ format: 'uri', pattern: '^https://', maxLength: 2000 }) }, { additionalProperties: false }) },
      { additionalProperties: false },
    ),
    Type.Object({ command: Type.Literal('event.mb.avaya_answer'), params: Type.Object({}, { additionalProperties: false }) }, { additionalProperties: false }),
  ],
  { description: "A request to the customer's app; the WebView page hands it to the app as is" },
);
type AppEvent = Type.Static<typeof AppEvent>;

const AppResult = Type.Object(
  {
    command: Type.Literal('cmd.chat.channel_change_result'),
    params: Type.Object(
      {
        result: Type.Optional(Type.Union([Type.Literal('00'), Type.Literal('01')])),
        desc: Type.Optional(Text(200)),
        user_message: Type.Optional(Text(1000)),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** Registers the pages and the WebView API. */
export function registerWebviewRoutes(app: HttpServer, deps: WebviewRoutesDeps): void {
  const { chats, visitors, settings, tickets } = deps;

  /** The visitor the page is for: the robot chat's (a hand-off), the signed-in customer, or (0) a new anonymous one. */
  async function visitorFor(siteId: number, customer: Customer | null, handle: string | null): Promise<{ visitorId: number; robotChatId: number | null }> {
    if (handle) {
      const h = tickets.handoffChat(handle);
      const chat = h && (await chats.findInSite(siteId, h.chatId));
      // Only while the robot still has it: a handle is not a way back into a conversation with people.
      if (!h || !chat || !tickets.handoffFits(h, siteId, chat.visitorId) || chat.status !== 'bot') {
        throw new TokenProblem('invalid_token', 'chat_id_robot does not name a robot chat of this site that may continue here (it may have expired or been handed over already).');
      }
      // A signed-in customer's robot chat continues only for that customer, proven again.
      const owner = (await visitors.contacts(siteId, [chat.visitorId])).get(chat.visitorId)?.customerToken ?? null;
      if ((owner !== null || customer !== null) && owner !== customer?.customerId) {
        throw new TokenProblem('invalid_token', 'chat_id_robot belongs to another customer, or needs the same customer’s Ssotoken.');
      }
      return { visitorId: chat.visitorId, robotChatId: chat.id };
    }
    if (customer) {
      // The bank's customer id is the customer token (the IM API's too: one customer, one visitor).
      const fields = { ...(customer.name && { name: customer.name }), ...(customer.email && { email: customer.email }), info: { customerId: customer.customerId } };
      const saved = await visitors.customers.save(siteId, customer.customerId, fields);
      return { visitorId: saved.customer.id, robotChatId: null };
    }
    return { visitorId: 0, robotChatId: null };
  }

  async function servePage(page: PageKind, request: FastifyRequest<{ Querystring: { siteId: number } }>, reply: FastifyReply, r: PageRequest) {
    const siteId = request.query.siteId;
    const site = await deps.openSite(siteId);
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').header('x-content-type-options', 'nosniff');
    reply.header(
      'content-security-policy',
      ["default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline' https:", "img-src 'self' data: blob: https:", "connect-src 'self'", "base-uri 'none'", "object-src 'none'", "form-action 'self'", "frame-ancestors 'none'"].join('; '),
    );
    const send = (status: number, config: Record<string, unknown>, themeCssUrl: string | null) =>
      reply.code(status).type('text/html; charset=utf-8').send(deps.page({ config: { siteId, page, language: languageOf(r.Language), ...config }, themeCssUrl }));
    if (!site) return send(404, { error: { code: 'site_unavailable', message: 'This chat is not available.' } }, null);
    const themeCssUrl = await deps.themeOf(site.partnerId);
    const token = (r.Ssotoken ?? '').trim();
    const handle = page === 'agent' ? robotHandle(r) : null;
    const skill = (r.Skill ?? '').trim() || null;
    if (skill !== null && !SKILL_NAME.test(skill)) {
      return send(400, { error: { code: 'invalid_request', message: 'Skill must be 1 to 50 letters, digits, _ or -, such as MobChg.' } }, themeCssUrl);
    }
    try {
      const customer = token === '' ? null : await verifySsotoken(token, await settings.token.verification(siteId));
      const found = await visitorFor(siteId, customer, handle);
      // An anonymous customer is a new visitor each time the app opens the page.
      const session = await visitors.openSession(siteId, {}, found.visitorId === 0 ? null : { kind: 'visitor', siteId, visitorId: found.visitorId });
      const { robotChatId } = found;
      const visitorId = session.visitor.id;
      // Urgency is the bank's call about its signed-in customer: an anonymous page cannot jump the queue.
      const urgent = customer !== null && (r.Urgent ?? '').trim() !== '';
      const ticket = tickets.issue({ siteId, visitorId, page, skill, urgent, robotChatId });
      return send(200, { token: session.token, expiresAt: session.expiresAt, visitorId, ticket, skill, customer: customer ? { name: customer.name } : null }, themeCssUrl);
    } catch (err) {
      if (!(err instanceof TokenProblem)) throw err;
      request.log.info({ reason: err.code, detail: err.message }, 'webview page refused');
      return send(err.code === 'invalid_token' ? 401 : 503, { error: { code: err.code, message: err.message } }, themeCssUrl);
    }
  }

  void app.register(async (scope: HttpServer) => {
    // The app may post the request as a form as well as JSON; Android's WebView.postUrl sends the
    // spec's JSON body with a form's content type, so a body that is JSON is read as JSON.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
      const text = (body as string).trim();
      if (text.startsWith('{')) {
        try {
          done(null, JSON.parse(text));
          return;
        } catch {
          // Not JSON after all: read it as a form.
        }
      }
      done(null, Object.fromEntries(new URLSearchParams(text)));
    });
    const query = Type.Object({ siteId: Id });
    // Each opening may make a visitor and ask the site's token check: a page a second per address is plenty for an app.
    const config = { access: ['public'] as ['public'], rateLimit: { max: 60, timeWindow: 60_000 } };
    for (const { path, page } of PAGES) {
      const schema = { hide: true, querystring: query } as const;
      scope.get(path, { config, schema: { ...schema, querystring: Type.Intersect([query, PageRequest]) } }, (request, reply) =>
        servePage(page, request as FastifyRequest<{ Querystring: { siteId: number } }>, reply, request.query as PageRequest),
      );
      scope.post(path, { config, schema: { ...schema, body: PageRequest } }, (request, reply) => servePage(page, request, reply, request.body));
    }
  });

  const security = [{ bearer: [] }];
  const ChatIdParams = Type.Object({ chatId: Id });

  app.post(
    '/api/v1/webview/start',
    {
      config: { access: ['visitor'] },
      schema: {
        tags: ['webview'],
        summary: 'The WebView page starts its chat once the app called start() (visitors)',
        description: "The ticket is the page's: it says which page the app opened, with which skill, urgency and robot chat. The agents' page asks for people (the skill's group, urgent ones first), or continues the robot chat with them; the robot page starts a chat with the robot. A page started again gets its chat back.",
        security,
        body: Type.Object({ ticket: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ chat: Type.Unsafe<ChatView>({ $ref: 'Chat' }) }), ...problems(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request) => {
      const p = request.principal;
      const t = tickets.read(request.body.ticket);
      if (p?.kind !== 'visitor' || !t || t.siteId !== p.siteId || t.visitorId !== p.visitorId) throw new Forbidden('This ticket is not for this visitor, or it has expired: open the page again.', { reason: 'ticket' });
      const ctx = visitorCtx(p.siteId, p.visitorId);
      const skill = t.skill ? await settings.skills.byName(p.siteId, t.skill) : undefined;
      const tags = { skill: skill?.name ?? t.skill ?? undefined, urgent: t.urgent };
      const to = skill?.groupId ? { groupId: skill.groupId } : {};
      if (t.page === 'robot') return { chat: (await chats.request(ctx, { assignType: 'robot', channel: 'webview', skill: tags.skill })).chat };
      if (t.robotChatId !== null) {
        const robot = await chats.get(ctx, t.robotChatId);
        return { chat: robot.status === 'bot' ? await chats.switchToAgents(ctx, robot.id, to, 'customer', tags) : robot };
      }
      return { chat: (await chats.request(ctx, { assignType: 'agent', channel: 'webview', ...to, ...tags })).chat };
    },
  );

  app.post(
    '/api/v1/webview/chats/:chatId/handoff',
    {
      config: { access: ['visitor'] },
      schema: {
        tags: ['webview'],
        summary: "The robot page's chat_id_robot for event.ai.transfer_agent (visitors)",
        description: 'A signed handle of the robot chat, valid for 30 minutes: the human page continues that chat with people.',
        security,
        params: ChatIdParams,
        response: { 200: Type.Object({ chat_id_robot: Type.String() }), ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const p = request.principal!;
      const chat = await chats.get(siteContext(p), request.params.chatId);
      if (chat.status !== 'bot') throw new InvalidState(`Chat ${chat.id} is ${chat.status}, not with the robot.`);
      return { chat_id_robot: tickets.handoff(chat.siteId, chat.id, chat.visitorId) };
    },
  );

  app.post(
    '/api/v1/webview/chats/:chatId/results',
    {
      config: { access: ['visitor'] },
      schema: {
        tags: ['webview'],
        summary: "The app's answer to the agent's request, passed on by the page (visitors)",
        description: 'Stored in the chat as a message of type `app_result`; the agent sees it.',
        security,
        params: ChatIdParams,
        body: AppResult,
        response: { 201: Type.Unsafe({ $ref: 'Message' }), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const ctx = siteContext(request.principal);
      const chat = await chats.get(ctx, request.params.chatId);
      if (chat.channel !== 'webview') throw new InvalidState(`Chat ${chat.id} is not from the mobile app's WebView.`);
      const { message } = await chats.send(ctx, chat.id, { type: 'app_result', data: { command: request.body.command, params: request.body.params } });
      return reply.code(201).send(message);
    },
  );

  const sendAppEvent = async (ctx: SiteContext, chatId: number, body: AppEvent) => {
    const chat = await chats.findInSite(ctx.siteId, chatId);
    if (!chat) throw new NotFound('chat', chatId);
    if (chat.channel !== 'webview') throw new InvalidState(`Chat ${chatId} is not from the mobile app's WebView: its visitor has no app to ask.`);
    if (body.command === 'event.chat.open_link' && !/^https:\/\//i.test(body.params.url)) throw new BadRequest('The link must be https.');
    return (await chats.send(ctx, chatId, { type: 'app', data: { command: body.command, params: body.params } })).message;
  };
  const appEvent = {
    summary: "Ask the customer's app to do something: switch channel, show a business result, open a link (the chat's agent)",
    description: 'The chat must come from the WebView (docs/mobile-webview.md); it is stored as a message of type `app` and the page hands it to the app.',
    security,
    body: AppEvent,
    response: { 201: Type.Unsafe({ $ref: 'Message' }), ...problems(400, 401, 403, 404, 409) },
  };
  app.post('/api/v1/chats/:chatId/app-events', { config: { access: ['agent'] }, schema: { ...appEvent, tags: ['webview'], params: ChatIdParams } }, async (request, reply) =>
    reply.code(201).send(await sendAppEvent(siteContext(request.principal), request.params.chatId, request.body)),
  );
  app.post('/operator/sessions/:sessionId/app-events', { config: { access: ['agent'] }, schema: { ...appEvent, tags: ['operator'], params: Type.Object({ sessionId: Id }) } }, async (request, reply) =>
    reply.code(201).send(await sendAppEvent(siteContext(request.principal), request.params.sessionId, request.body)),
  );
}
