// The IM API (spec/im-api.md) for customers' applications. Every answer is the spec's shape:
// `{ code: 1000, … }` on success, `{ code, message }` with one of the documented codes otherwise
// (docs/im-api.md), with a matching HTTP status. Calls authenticate with one of the site's IM API
// keys (`Authorization: Bearer pim_…`) and act in that site only.
import { createHash } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError, NotFound, Unauthorized } from '../../platform/errors.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { ImService } from './im.service.ts';

/** The IM API's result codes; docs/im-api.md explains each. */
export const ImCode = {
  ok: 1000,
  unauthorized: 2001,
  invalidParameters: 2002,
  customerNotFound: 2003,
  sessionNotFound: 2004,
  agentNotFound: 2005,
  agentUnavailable: 2006,
  groupNotFound: 2007,
  queueFull: 2008,
  invalidState: 2009,
  messageNotFound: 2010,
  customerBanned: 2011,
  tooManyRequests: 2012,
  payloadTooLarge: 2013,
  notFound: 2014,
  internal: 2500,
} as const;

const notFoundCodes: Record<string, number> = {
  customer: ImCode.customerNotFound,
  session: ImCode.sessionNotFound,
  chat: ImCode.sessionNotFound,
  agent: ImCode.agentNotFound,
  group: ImCode.groupNotFound,
  message: ImCode.messageNotFound,
};

/** Maps any error to the IM API's code, HTTP status and message; unexpected ones are logged and hidden. */
export function imError(err: unknown, request: FastifyRequest): { status: number; body: Record<string, unknown> } {
  const out = (status: number, code: number, message: string, extra: Record<string, unknown> = {}) => ({ status, body: { code, message, ...extra } });
  if (err instanceof DomainError) {
    switch (err.kind) {
      case 'not-found':
        return out(404, notFoundCodes[String(err.extras.entity)] ?? ImCode.notFound, err.message);
      case 'unauthorized':
        return out(401, ImCode.unauthorized, err.message);
      case 'forbidden':
        // An IM key is refused only for a banned customer; any other caller (an agent's or a visitor's token) has no IM key.
        if (request.principal?.kind !== 'im') return out(401, ImCode.unauthorized, 'Use an IM API key.');
        return out(403, ImCode.customerBanned, err.message);
      case 'bad-request':
        return out(400, ImCode.invalidParameters, err.message);
      case 'queue-full':
        // The site's offline message is the message a customer sees; it may leave one (/im/offline_messages).
        return out(409, ImCode.queueFull, String(err.extras.offlineMessage), { offline: true });
      case 'agent-unavailable':
        return out(409, ImCode.agentUnavailable, err.message);
      case 'too-many-requests':
        return out(429, ImCode.tooManyRequests, err.message);
      default:
        return out(err.status, ImCode.invalidState, err.message);
    }
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const first = fe.validation[0];
    const params = (first?.params ?? {}) as { missingProperty?: string; additionalProperty?: string };
    const field = params.missingProperty ?? params.additionalProperty ?? first?.instancePath.replace(/^\//, '').replaceAll('/', '.') ?? '';
    const why = params.missingProperty ? 'is required' : params.additionalProperty ? 'is not an allowed parameter' : (first?.message ?? 'is invalid');
    return out(400, ImCode.invalidParameters, `${field} ${why}`.trim());
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return out(413, ImCode.payloadTooLarge, 'The request body is larger than the limit.');
  if (fe.statusCode === 429) return out(429, ImCode.tooManyRequests, 'Too many requests; slow down.');
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) return out(fe.statusCode, ImCode.invalidParameters, fe.message);
  request.log.error({ err }, 'unexpected error');
  return out(500, ImCode.internal, 'Something went wrong on our side; the request id helps us find it.', { request_id: String(request.id) });
}

const CustomerToken = Type.String({ minLength: 1, maxLength: 200, description: "The customer's id in the application (customer_token)" });
const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Ok = Type.Object({ code: Type.Literal(ImCode.ok) }, { additionalProperties: true });
const Failure = Type.Object({ code: Type.Integer(), message: Type.String() }, { additionalProperties: true, description: 'See docs/im-api.md for the codes' });
const failures = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, Failure]));
const tags = ['im'];
const security = [{ imKey: [] }];

const CustomerFields = {
  name: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()])),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
  custom_fields: Type.Optional(
    Type.Record(Type.String({ maxLength: 100 }), Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean(), Type.Null()]), {
      maxProperties: 100,
      description: 'Custom fields of the customer, name → value',
    }),
  ),
};
const CustomerBody = Type.Object({ customer_token: CustomerToken, ...CustomerFields }, { additionalProperties: false });

export interface ImRouteOptions {
  /** IM API calls one key may make per minute. */
  rateLimitPerMinute: number;
}

/** Registers the IM API in its own scope, with the spec's error shape. */
export async function registerImRoutes(app: HttpServer, im: ImService, opts: ImRouteOptions): Promise<void> {
  await app.register(async (scope: HttpServer) => {
    scope.setErrorHandler((err, request, reply: FastifyReply) => {
      const { status, body } = imError(err, request);
      return reply.code(status).type('application/json; charset=utf-8').send(body);
    });
    // One budget per key across every IM route (a per-route limit would multiply it).
    scope.addHook(
      'preHandler',
      scope.rateLimit({
        max: opts.rateLimitPerMinute,
        timeWindow: '1 minute',
        // The limiter holds a hash of the key, not the key itself.
        keyGenerator: (request: FastifyRequest) => {
          const auth = request.headers.authorization;
          return auth ? createHash('sha256').update(auth).digest('base64url') : request.ip;
        },
      }),
    );
    const config = { access: ['im' as const] };
    const siteOf = (request: FastifyRequest): number => {
      const p = request.principal;
      if (p?.kind !== 'im') throw new Unauthorized('Use an IM API key.');
      return p.siteId;
    };

    scope.post(
      '/im/customers',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Create a customer, or update the fields given of an existing one',
          body: CustomerBody,
          response: { 200: Ok, ...failures(400, 401, 429) },
        },
      },
      async (request) => {
        const { customer, created } = await im.saveCustomer(siteOf(request), request.body);
        return { code: ImCode.ok, created, customer };
      },
    );

    scope.put(
      '/im/customers',
      {
        config,
        schema: { tags, security, summary: 'Update an existing customer', body: CustomerBody, response: { 200: Ok, ...failures(400, 401, 404, 429) } },
      },
      async (request) => ({ code: ImCode.ok, customer: await im.updateCustomer(siteOf(request), request.body) }),
    );

    scope.get(
      '/im/customers',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'One customer',
          querystring: Type.Object({ customer_token: CustomerToken }, { additionalProperties: false }),
          response: { 200: Ok, ...failures(400, 401, 404, 429) },
        },
      },
      async (request) => ({ code: ImCode.ok, customer: await im.getCustomer(siteOf(request), request.query.customer_token) }),
    );

    scope.post(
      '/im/sessions',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Open a session with the robot or people (or get the open one)',
          description:
            'agent_id wins over group_id and assign_type; group_id wins over assign_type. A customer with the robot who asks for people is handed over, with a robot_transfer event for the agent.',
          body: Type.Object(
            {
              customer_token: CustomerToken,
              assign_type: Type.Optional(Type.Union([Type.Literal('robot'), Type.Literal('agent')])),
              agent_id: Type.Optional(Id),
              group_id: Type.Optional(Id),
              channel: Type.Optional(Type.String({ maxLength: 100 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Ok, ...failures(400, 401, 403, 404, 409, 429) },
        },
      },
      async (request) => ({ code: ImCode.ok, ...(await im.openSession(siteOf(request), request.body)) }),
    );

    scope.post(
      '/im/messages',
      {
        config,
        schema: {
          tags,
          security,
          summary: "Send a customer's message or event into a session",
          description:
            'type: message (default; data.content may hold HTML, which is sanitized), image, audio, video, file, rich, struct; or the events close, info, form_received. Each type has its own data (docs/im-api.md).',
          body: Type.Object(
            {
              customer_token: CustomerToken,
              im_sub_session_id: Id,
              type: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
              data: Type.Record(Type.String(), Type.Unknown()),
              client_message_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Sending again with the same id stores nothing new' })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Ok, ...failures(400, 401, 403, 404, 409, 429) },
        },
      },
      async (request) => ({ code: ImCode.ok, ...(await im.sendMessage(siteOf(request), request.body)) }),
    );

    scope.get(
      '/im/queue_status',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Where the customer stands: 排队中 (queued), 未排队 (not queued), 会话中 (talking), 分配中 (being assigned)',
          querystring: Type.Object({ customer_token: CustomerToken }, { additionalProperties: false }),
          response: { 200: Ok, ...failures(400, 401, 403, 404, 429) },
        },
      },
      async (request) => ({ code: ImCode.ok, ...(await im.queueStatus(siteOf(request), request.query.customer_token)) }),
    );

    scope.post(
      '/im_sessions/survey',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Answer the survey of a session (again to change the answer)',
          body: Type.Object(
            {
              im_sub_session_id: Id,
              option_id: Type.Integer({ minimum: 1 }),
              remark: Type.Optional(Type.String({ maxLength: 2000 })),
              customer_token: Type.Optional(CustomerToken),
            },
            { additionalProperties: false },
          ),
          response: { 200: Ok, ...failures(400, 401, 403, 404, 409, 429) },
        },
      },
      async (request) => {
        await im.answerSurvey(siteOf(request), request.body);
        return { code: ImCode.ok };
      },
    );

    scope.post(
      '/im/robot/answer_rating',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Rate one robot answer useful or not (question_id of the answer; 0, small talk, is not rated)',
          body: Type.Object(
            {
              customer_token: CustomerToken,
              message_id: Type.Union([Id, Type.String({ pattern: '^[1-9][0-9]{0,15}$' })]),
              question_id: Type.Integer({ minimum: 0 }),
              useful: Type.Boolean(),
            },
            { additionalProperties: false },
          ),
          response: { 200: Ok, ...failures(400, 401, 403, 404, 429) },
        },
      },
      async (request) => {
        const b = request.body;
        await im.rateAnswer(siteOf(request), { ...b, message_id: Number(b.message_id) });
        return { code: ImCode.ok };
      },
    );

    scope.post(
      '/im/offline_messages',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Leave a message when nobody can take a chat (queue full or waited too long)',
          body: Type.Object(
            {
              customer_token: CustomerToken,
              content: Type.String({ minLength: 1, maxLength: 10000 }),
              email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
              phone: Type.Optional(Type.String({ maxLength: 50 })),
              group_id: Type.Optional(Id),
            },
            { additionalProperties: false },
          ),
          response: { 200: Ok, ...failures(400, 401, 403, 404, 429) },
        },
      },
      async (request) => ({ code: ImCode.ok, ...(await im.leaveOfflineMessage(siteOf(request), request.body)) }),
    );

    // Anything else under /im answers in the spec's shape too.
    scope.all('/im/*', { config: { access: ['public'] }, schema: { hide: true } }, async (request) => {
      throw new NotFound('route', request.url.split('?')[0]);
    });
  });
}
