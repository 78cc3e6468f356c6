// Chats and their messages, for visitors (their own chats) and agents (their site's chats).
import { Type } from 'typebox';
import { siteContext } from '../../platform/context.ts';
import { BadRequest } from '../../platform/errors.ts';
import { Id, Nullable, problems, Timestamp } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { ChatService } from './chat.service.ts';

export const ChatStatus = Type.Union(
  [Type.Literal('bot'), Type.Literal('queued'), Type.Literal('assigned'), Type.Literal('active'), Type.Literal('ended')],
  { description: 'bot: with the robot; queued: waiting for an agent; assigned: offered to one; active: accepted; ended' },
);

export const ChatSchema = Type.Object(
  {
    id: Id,
    siteId: Id,
    visitorId: Id,
    status: ChatStatus,
    agentId: Nullable(Id),
    groupId: Nullable(Id),
    name: Nullable(Type.String({ description: 'A name agents gave the chat' })),
    queuePosition: Nullable(Type.Integer({ minimum: 1, description: 'Place in the queue while queued' })),
    lastSeq: Type.Integer({ minimum: 0 }),
    visitorReadSeq: Type.Integer({ minimum: 0, description: 'The last message seq the visitor has read' }),
    agentReadSeq: Type.Integer({ minimum: 0, description: 'The last message seq the agent has read' }),
    requestedAt: Timestamp,
    assignedAt: Nullable(Timestamp),
    acceptedAt: Nullable(Timestamp),
    endedAt: Nullable(Timestamp),
    endedBy: Nullable(Type.String()),
    wrapUp: Nullable(
      Type.Object({ category: Nullable(Type.String()), note: Nullable(Type.String()), agentId: Id, at: Timestamp }, { description: "The agent's notes after the chat ended" }),
    ),
    channel: Nullable(Type.String({ description: 'Where the chat came from: widget, im, webview, …' })),
    skill: Nullable(Type.String({ description: "The skill a chat from the mobile app's WebView came with (docs/mobile-webview.md)" })),
    urgent: Type.Boolean({ description: "Ahead of the others in the queue (the app's Urgent)" }),
    agent: Type.Optional(
      Nullable(Type.Object({ id: Id, name: Type.String(), avatarUrl: Nullable(Type.String()) }, { description: 'Who has the chat (on GET /api/v1/chats/{chatId})' })),
    ),
  },
  { $id: 'Chat' },
);
const ChatRef = Type.Unsafe<Type.Static<typeof ChatSchema>>({ $ref: 'Chat' });

export const MessageSchema = Type.Object(
  {
    id: Id,
    chatId: Id,
    seq: Type.Integer({ minimum: 1, description: 'Position in the chat, from 1, without gaps' }),
    senderKind: Type.Union([Type.Literal('visitor'), Type.Literal('agent'), Type.Literal('bot'), Type.Literal('system')]),
    senderId: Nullable(Id),
    type: Type.String({ description: 'IM API message or event type: message, close, …' }),
    data: Type.Record(Type.String(), Type.Unknown()),
    clientMessageId: Nullable(Type.String()),
    createdAt: Timestamp,
    editedAt: Nullable(Timestamp),
    deletedAt: Nullable(Timestamp),
  },
  { $id: 'Message', description: 'A deleted message keeps its seq; its data is empty.' },
);
const MessageRef = Type.Unsafe<Type.Static<typeof MessageSchema>>({ $ref: 'Message' });

export const MessageContent = Type.String({ minLength: 1, maxLength: 10000, description: 'Plain text' });

/** The wrap-up an agent writes after a chat. */
export const WrapUpInput = Type.Object(
  { category: Type.Optional(Type.String({ maxLength: 100 })), note: Type.Optional(Type.String({ maxLength: 4000 })) },
  { additionalProperties: false },
);

const MessageInput = Type.Object(
  {
    type: Type.Enum(['message', 'rich'], {
      description: '`message`: plain text; `rich`: HTML (agents), reduced to a safe subset before it is stored',
    }),
    data: Type.Object(
      { content: MessageContent },
      { additionalProperties: false },
    ),
    clientMessageId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Sender-chosen id; sending again with the same id returns the first message and stores nothing',
      }),
    ),
  },
  { additionalProperties: false },
);

const ChatIdParams = Type.Object({ chatId: Id });
export const ReadInput = Type.Object(
  { seq: Type.Integer({ minimum: 1, maximum: 2147483647, description: 'The last message seq read' }) },
  { additionalProperties: false },
);
export const TypingInput = Type.Object(
  { typing: Type.Boolean({ default: true, description: 'false when the typist stopped' }) },
  { additionalProperties: false },
);
const security = [{ bearer: [] }];

/** Registers the chat routes. */
export function registerChatRoutes(app: HttpServer, chats: ChatService): void {
  app.addSchema(ChatSchema);
  app.addSchema(MessageSchema);

  app.post(
    '/api/v1/chats',
    {
      config: { access: ['visitor'] },
      schema: {
        tags: ['chats'],
        summary: 'Ask for a chat (visitors)',
        description:
          'With assignType agent (the default) the chat is routed to an online agent with spare capacity, or queued (see queuePosition); with robot it starts with the robot (status bot) until the visitor asks for a person. A visitor with an open chat gets it back (200).',
        security,
        body: Type.Object(
          {
            message: Type.Optional(MessageInput),
            assignType: Type.Optional(Type.Union([Type.Literal('agent'), Type.Literal('robot')])),
            agentId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Chat with this agent (it must be online), e.g. after its invitation' })),
            groupId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Chat with this group (department)' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ChatRef, 201: ChatRef, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      // The widget's chats; one with a named agent started with that agent's invitation (docs/reports.md, channels).
      const channel = request.body.agentId === undefined ? 'widget' : 'operator';
      const { chat, created } = await chats.request(siteContext(request.principal), { ...request.body, channel });
      return reply.code(created ? 201 : 200).send(chat);
    },
  );

  app.get(
    '/api/v1/chats',
    {
      config: { access: ['agent', 'visitor', 'site-client'] },
      schema: {
        tags: ['chats'],
        summary: "List chats, newest first (a visitor's own; all of the site for agents)",
        security,
        querystring: Type.Object(
          {
            status: Type.Optional(ChatStatus),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            beforeId: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(ChatRef), ...problems(400, 401, 403) },
      },
    },
    async (request) => chats.list(siteContext(request.principal), request.query),
  );

  app.get(
    '/api/v1/chats/:chatId',
    {
      config: { access: ['agent', 'visitor', 'site-client'] },
      schema: { tags: ['chats'], summary: 'One chat', security, params: ChatIdParams, response: { 200: ChatRef, ...problems(400, 401, 403, 404) } },
    },
    async (request) => chats.get(siteContext(request.principal), request.params.chatId),
  );

  app.post(
    '/api/v1/chats/:chatId/accept',
    {
      config: { access: ['agent'] },
      schema: {
        tags: ['chats'],
        summary: 'Accept a chat assigned to you',
        security,
        params: ChatIdParams,
        response: { 200: ChatRef, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => chats.accept(siteContext(request.principal), request.params.chatId),
  );

  app.post(
    '/api/v1/chats/:chatId/end',
    {
      config: { access: ['agent', 'visitor'] },
      schema: {
        tags: ['chats'],
        summary: 'End a chat (an agent may add its wrap-up)',
        security,
        params: ChatIdParams,
        body: Type.Optional(Type.Object({ wrapUp: Type.Optional(WrapUpInput) }, { additionalProperties: false })),
        response: { 200: ChatRef, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const ctx = siteContext(request.principal);
      const wrapUp = request.body?.wrapUp;
      if (wrapUp && ctx.actor.kind !== 'agent') throw new BadRequest('Only agents wrap up chats.');
      const ended = await chats.end(ctx, request.params.chatId);
      return wrapUp ? chats.wrapUp(ctx, request.params.chatId, wrapUp) : ended;
    },
  );

  app.post(
    '/api/v1/chats/:chatId/messages',
    {
      config: { access: ['agent', 'visitor'] },
      schema: {
        tags: ['chats'],
        summary: 'Send a message',
        description: '201 with the new message; 200 with the first message when clientMessageId was already used.',
        security,
        params: ChatIdParams,
        body: MessageInput,
        response: { 200: MessageRef, 201: MessageRef, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const ctx = siteContext(request.principal);
      // On this API visitors write text; rich text is the agents' (IM API apps have their own types).
      if (request.body.type === 'rich' && ctx.actor.kind !== 'agent') throw new BadRequest('Visitors send plain text (type message).');
      const { message, created } = await chats.send(ctx, request.params.chatId, request.body);
      return reply.code(created ? 201 : 200).send(message);
    },
  );

  app.post(
    '/api/v1/chats/:chatId/read',
    {
      config: { access: ['visitor'] },
      schema: {
        tags: ['chats'],
        summary: 'Tell the agent how far you have read (visitors)',
        security,
        params: ChatIdParams,
        body: ReadInput,
        response: { 200: ChatRef, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => chats.markRead(siteContext(request.principal), request.params.chatId, request.body.seq),
  );

  app.post(
    '/api/v1/chats/:chatId/typing',
    {
      config: { access: ['visitor'] },
      schema: {
        tags: ['chats'],
        summary: 'Tell the agent you are typing, or stopped (visitors)',
        security,
        params: ChatIdParams,
        body: TypingInput,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await chats.typing(siteContext(request.principal), request.params.chatId, request.body.typing);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/chats/:chatId/handover',
    {
      config: { access: ['visitor'] },
      schema: {
        tags: ['chats'],
        summary: 'Ask for a person instead of the robot (visitors)',
        description: 'The chat leaves the robot (status bot) and is routed to an agent or queued.',
        security,
        params: ChatIdParams,
        response: { 200: ChatRef, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => chats.switchToAgents(siteContext(request.principal), request.params.chatId),
  );

  app.get(
    '/api/v1/chats/:chatId/messages',
    {
      config: { access: ['agent', 'visitor', 'site-client'] },
      schema: {
        tags: ['chats'],
        summary: "A chat's messages in order",
        security,
        params: ChatIdParams,
        querystring: Type.Object(
          {
            afterSeq: Type.Integer({ minimum: 0, maximum: 2147483647, default: 0, description: 'Only messages after this seq' }),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(MessageRef), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => chats.messages(siteContext(request.principal), request.params.chatId, request.query.afterSeq, request.query.limit),
  );
}
