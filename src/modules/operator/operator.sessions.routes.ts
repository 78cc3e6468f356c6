// The operator-panel API's sessions (chats): list (finished ones too) with filters and a cursor,
// messages, sending, editing and deleting one's own messages, transfers, renaming, ending, and
// the few extras an operator needs that the spec leaves out (accept, read, typing, to the robot).
import { Type } from 'typebox';
import { type SiteContext, siteContext } from '../../platform/context.ts';
import { BadRequest } from '../../platform/errors.ts';
import { Id, problems, Timestamp } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { type ChatService, ChatStatus, MessageContent, ReadInput, TypingInput } from '../chat/index.ts';
import { security, tags } from './operator.routes.ts';

const ref = <T>(id: string) => Type.Unsafe<T>({ $ref: id });
const Session = ref<unknown>('Chat');
const Message = ref<unknown>('Message');
const SessionParams = Type.Object({ sessionId: Id });
const MessageParams = Type.Object({ sessionId: Id, messageId: Id });

const Revision = Type.Object({
  action: Type.Union([Type.Literal('edit'), Type.Literal('delete')]),
  previousData: Type.Record(Type.String(), Type.Unknown()),
  agentId: Type.Union([Id, Type.Null()]),
  at: Timestamp,
});
const AuditedMessage = Type.Intersect([Message, Type.Object({ revisions: Type.Array(Revision) })]);

const MessageBody = Type.Object(
  {
    text: MessageContent,
    clientMessageId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Sending again with the same id returns the first message' }),
    ),
  },
  { additionalProperties: false },
);

// An opaque cursor: the id below which the next page starts.
const encodeCursor = (id: number) => Buffer.from(`s:${id}`).toString('base64url');
function decodeCursor(cursor: string): number {
  const match = /^s:([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const id = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw new BadRequest('The cursor is not one this API gave out.');
  return id;
}

// The schema's date-time format admits a leap second (23:59:60), which Date cannot represent.
function instant(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new BadRequest(`${name} is not a time this server can compare: ${value}`);
  return new Date(ms).toISOString();
}

const OPEN_STATUSES = ['bot', 'queued', 'assigned', 'active'] as const;

/** Registers the /operator/sessions routes. */
export function registerOperatorSessionRoutes(app: HttpServer, chats: ChatService): void {
  const ctxOf = (request: { principal: Parameters<typeof siteContext>[0] }): SiteContext => siteContext(request.principal);

  app.get(
    '/operator/sessions',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        summary: "The site's sessions, newest first, finished ones included",
        security,
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union([ChatStatus, Type.Literal('open')], { description: 'open: every status but ended' })),
            operatorId: Type.Optional(Id),
            clientId: Type.Optional(Id),
            groupId: Type.Optional(Id),
            from: Type.Optional(Type.String({ format: 'date-time', description: 'Requested at or after' })),
            to: Type.Optional(Type.String({ format: 'date-time', description: 'Requested before' })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            cursor: Type.Optional(Type.String({ maxLength: 64, description: 'nextCursor of the previous page' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(Session), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...problems(400, 401, 403),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const statuses = q.status === undefined ? undefined : q.status === 'open' ? [...OPEN_STATUSES] : [q.status];
      const items = await chats.list(ctxOf(request), {
        statuses,
        agentId: q.operatorId,
        visitorId: q.clientId,
        groupId: q.groupId,
        from: instant(q.from, 'from'),
        to: instant(q.to, 'to'),
        // One more than asked tells whether another page follows, so the last page has no cursor.
        limit: q.limit + 1,
        beforeId: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
      });
      const page = items.slice(0, q.limit);
      const last = page.at(-1);
      return { items: page, nextCursor: items.length > q.limit && last ? encodeCursor(last.id) : null };
    },
  );

  app.get(
    '/operator/sessions/:sessionId',
    {
      config: { access: ['agent'] },
      schema: { tags, summary: 'One session', security, params: SessionParams, response: { 200: Session, ...problems(400, 401, 403, 404) } },
    },
    async (request) => chats.get(ctxOf(request), request.params.sessionId),
  );

  app.delete(
    '/operator/sessions/:sessionId',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        summary: 'End a session (its operator or a site admin)',
        security,
        params: SessionParams,
        response: { 200: Session, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => chats.end(ctxOf(request), request.params.sessionId),
  );

  app.get(
    '/operator/sessions/:sessionId/messages',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        summary: "A session's messages in order",
        description: 'Site admins also get each message\'s revisions: what it said before every edit or deletion.',
        security,
        params: SessionParams,
        querystring: Type.Object(
          {
            afterSeq: Type.Integer({ minimum: 0, maximum: 2147483647, default: 0, description: 'Only messages after this seq (the cursor)' }),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Type.Union([AuditedMessage, Message])), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const { afterSeq, limit } = request.query;
      const admin = ctx.actor.kind === 'agent' && ctx.actor.role === 'admin';
      return admin
        ? chats.auditedMessages(ctx, request.params.sessionId, afterSeq, limit)
        : chats.messages(ctx, request.params.sessionId, afterSeq, limit);
    },
  );

  app.post(
    '/operator/sessions/:sessionId/operators/messages',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        summary: 'Send a message into your session',
        description: 'A session offered to you (assigned) is accepted by your first message.',
        security,
        params: SessionParams,
        body: MessageBody,
        response: { 200: Message, 201: Message, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const id = request.params.sessionId;
      const chat = await chats.get(ctx, id);
      if (chat.status === 'assigned' && ctx.actor.kind === 'agent' && chat.agentId === ctx.actor.agentId) await chats.accept(ctx, id);
      const input = { type: 'message' as const, data: { content: request.body.text }, clientMessageId: request.body.clientMessageId };
      const { message, created } = await chats.send(ctx, id, input);
      return reply.code(created ? 201 : 200).send(message);
    },
  );

  app.put(
    '/operator/sessions/:sessionId/operators/messages/:messageId',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        summary: 'Edit your own message (the earlier text is kept for admins)',
        security,
        params: MessageParams,
        body: Type.Object({ text: MessageContent }, { additionalProperties: false }),
        response: { 200: Message, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => chats.editMessage(ctxOf(request), request.params.sessionId, request.params.messageId, request.body.text),
  );

  app.delete(
    '/operator/sessions/:sessionId/operators/messages/:messageId',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        summary: 'Delete your own message (it keeps its place; its text is kept for admins)',
        security,
        params: MessageParams,
        response: { 200: Message, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => chats.deleteMessage(ctxOf(request), request.params.sessionId, request.params.messageId),
  );

  app.post(
    '/operator/sessions/:sessionId/operators/:userId',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        summary: 'Transfer a session to another operator',
        security,
        params: Type.Object({ sessionId: Id, userId: Id }),
        response: { 200: Session, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => chats.transferToAgent(ctxOf(request), request.params.sessionId, request.params.userId),
  );

  app.post(
    '/operator/sessions/:sessionId/groupoperators/:groupId',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        summary: "Transfer a session to a group: it goes to the group's next free member",
        security,
        params: Type.Object({ sessionId: Id, groupId: Id }),
        response: { 200: Session, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => chats.transferToGroup(ctxOf(request), request.params.sessionId, request.params.groupId),
  );

  app.put(
    '/operator/sessions/:sessionId/names/:name',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        summary: 'Rename a session',
        security,
        params: Type.Object({ sessionId: Id, name: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Session, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => chats.rename(ctxOf(request), request.params.sessionId, request.params.name),
  );

  app.post(
    '/operator/sessions/:sessionId/accept',
    {
      config: { access: ['agent'] },
      schema: { tags, summary: 'Accept a session offered to you', security, params: SessionParams, response: { 200: Session, ...problems(400, 401, 403, 404, 409) } },
    },
    async (request) => chats.accept(ctxOf(request), request.params.sessionId),
  );

  app.post(
    '/operator/sessions/:sessionId/bot',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        summary: 'Hand a session to the robot (it leaves you: chatSessionDeleted)',
        security,
        params: SessionParams,
        response: { 200: Session, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => chats.switchToBot(ctxOf(request), request.params.sessionId),
  );

  app.post(
    '/operator/sessions/:sessionId/read',
    {
      config: { access: ['agent'] },
      schema: { tags, summary: 'Mark the session read up to a message seq', security, params: SessionParams, body: ReadInput, response: { 200: Session, ...problems(400, 401, 403, 404) } },
    },
    async (request) => chats.markRead(ctxOf(request), request.params.sessionId, request.body.seq),
  );

  app.post(
    '/operator/sessions/:sessionId/typing',
    {
      config: { access: ['agent'] },
      schema: { tags, summary: 'Tell the client you are typing, or stopped', security, params: SessionParams, body: TypingInput, response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 409) } },
    },
    async (request, reply) => {
      await chats.typing(ctxOf(request), request.params.sessionId, request.body.typing);
      return reply.code(204).send(null);
    },
  );
}
