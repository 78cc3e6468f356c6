// The agent console's chat routes: refuse an offered chat, join or monitor someone else's, leave,
// wrap up an ended chat, and search the history.
import { Type } from 'typebox';
import { siteContext } from '../../platform/context.ts';
import { perCallerRateLimit } from '../../platform/http/access.ts';
import { Id, problems } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { WrapUpInput } from './chat.routes.ts';
import type { ChatService } from './chat.service.ts';

const ChatRef = Type.Unsafe<{ id: number }>({ $ref: 'Chat' });
const ChatIdParams = Type.Object({ chatId: Id });
const security = [{ bearer: [] }];

const actions = {
  refuse: 'Refuse a chat offered to you: it goes back to the queue and is never offered to you again',
  join: "Join another agent's chat: you may write in it, and the visitor sees that you joined",
  monitor: 'Monitor a chat without taking part (subscribe to chat:{chatId} for its events)',
} as const;

/** Registers the console's chat routes. */
export function registerChatConsoleRoutes(app: HttpServer, chats: ChatService, opts: { searchPerMinute: number }): void {
  for (const [action, summary] of Object.entries(actions) as [keyof typeof actions, string][]) {
    app.post(
      `/api/v1/chats/:chatId/${action}`,
      {
        config: { access: ['agent'] },
        schema: { tags: ['chats'], summary, security, params: ChatIdParams, response: { 200: ChatRef, ...problems(401, 403, 404, 409) } },
      },
      async (request) => chats[action](siteContext(request.principal), request.params.chatId),
    );
  }

  app.post(
    '/api/v1/chats/:chatId/leave',
    {
      config: { access: ['agent'] },
      schema: { tags: ['chats'], summary: 'Stop joining or monitoring a chat', security, params: ChatIdParams, response: { 204: Type.Null(), ...problems(401, 403, 404, 409) } },
    },
    async (request, reply) => {
      await chats.leave(siteContext(request.principal), request.params.chatId);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/v1/chats/:chatId/wrap-up',
    {
      config: { access: ['agent'] },
      schema: {
        tags: ['chats'],
        summary: "Write or change an ended chat's wrap-up (its agent, or a site admin)",
        security,
        params: ChatIdParams,
        body: WrapUpInput,
        response: { 200: ChatRef, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => chats.wrapUp(siteContext(request.principal), request.params.chatId, request.body),
  );

  app.get(
    '/api/v1/chats/search',
    {
      // Each search reads every message of the site: a budget per agent keeps one from slowing all.
      config: {
        access: ['agent'],
        rateLimit: perCallerRateLimit('search', opts.searchPerMinute),
      },
      schema: {
        tags: ['chats'],
        summary: "Search the site's chats by message text, visitor name or e-mail, newest first (at least 2 characters)",
        security,
        querystring: Type.Object(
          {
            q: Type.String({ minLength: 2, maxLength: 200, pattern: '\\S.*\\S|\\S\\S' }),
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            beforeId: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            results: Type.Array(
              Type.Object({
                chat: ChatRef,
                visitor: Type.Object({ id: Id, name: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]) }),
                snippet: Type.Union([Type.String(), Type.Null()], { description: 'The newest matching message, cut around the match' }),
              }),
            ),
          }),
          ...problems(400, 401, 403, 429),
        },
      },
    },
    async (request) => ({ results: await chats.search(siteContext(request.principal), request.query.q, request.query.limit, request.query.beforeId) }),
  );
}
