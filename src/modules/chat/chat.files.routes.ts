// Sending a file into a chat (the file is the request body, with its own Content-Type) and
// fetching it back by its address.
import { Type } from 'typebox';
import { siteContext } from '../../platform/context.ts';
import { perCallerRateLimit } from '../../platform/http/access.ts';
import { PayloadTooLarge } from '../../platform/errors.ts';
import { Id, problems } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { ChatService } from './chat.service.ts';

/** Registers the file routes. */
export function registerChatFileRoutes(app: HttpServer, chats: ChatService, opts: { maxBytes: number; perMinute: number }): void {
  void app.register(async (scope: HttpServer) => {
    // Any type is a file here, JSON and forms included: the body is kept as bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.maxBytes }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err) => {
      // Say what the limit is; everything else goes to the usual problem answers.
      if ((err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new PayloadTooLarge(`A file may be at most ${opts.maxBytes} bytes.`);
      throw err;
    });

    scope.post(
      '/api/v1/chats/:chatId/files',
      {
        config: {
          access: ['agent', 'visitor'],
          rateLimit: perCallerRateLimit('file', opts.perMinute),
        },
        bodyLimit: opts.maxBytes,
        schema: {
          tags: ['chats'],
          summary: 'Send a file into a chat: the body is the file, Content-Type its type',
          description:
            'PNG, JPEG, GIF and WebP pictures become `image` messages (shown inline); any other file a `file` message (downloaded). `data` is `{url, name, size, mimeType}`; the url needs no token. A repeated clientMessageId returns the first message.',
          security: [{ bearer: [] }],
          params: Type.Object({ chatId: Id }),
          querystring: Type.Object(
            { name: Type.String({ minLength: 1, maxLength: 255 }), clientMessageId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Unsafe({ $ref: 'Message' }), 201: Type.Unsafe({ $ref: 'Message' }), ...problems(400, 401, 403, 404, 409, 413, 429) },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const data = Buffer.isBuffer(body) ? new Uint8Array(body) : new Uint8Array();
        const { message, created } = await chats.uploadFile(siteContext(request.principal), request.params.chatId, {
          name: request.query.name,
          declaredType: request.headers['content-type'] ?? '',
          data,
          clientMessageId: request.query.clientMessageId,
        });
        return reply.code(created ? 201 : 200).send(message);
      },
    );
  });

  const FileSettingsSchema = Type.Object(
    {
      visitorFiles: Type.Boolean({ description: 'Visitors may send files' }),
      agentFiles: Type.Boolean({ description: 'Agents may send files' }),
      maxBytes: Type.Integer({ description: 'The largest file the site accepts' }),
      platformMaxBytes: Type.Integer({ description: "The platform's limit (PARLEY_FILE_MAX_BYTES), the most a site may set" }),
    },
    { $id: 'FileSettings', examples: [{ visitorFiles: true, agentFiles: true, maxBytes: 5242880, platformMaxBytes: 10485760 }] },
  );
  app.addSchema(FileSettingsSchema);
  const FileSettingsRef = Type.Unsafe<Type.Static<typeof FileSettingsSchema>>({ $ref: 'FileSettings' });

  app.get(
    '/api/v1/file-settings',
    {
      config: { access: ['agent', 'site-client'] },
      schema: { tags: ['chats'], summary: 'Who may send files in the site\'s chats, and how large', security: [{ bearer: [] }], response: { 200: FileSettingsRef, ...problems(401, 403) } },
    },
    async (request) => chats.fileSettings.get(siteContext(request.principal).siteId),
  );

  app.patch(
    '/api/v1/file-settings',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageSettings' },
      schema: {
        tags: ['chats'],
        summary: 'Change who may send files, and the largest file (manageSettings); at most the platform\'s limit',
        security: [{ bearer: [] }],
        body: Type.Object(
          { visitorFiles: Type.Optional(Type.Boolean()), agentFiles: Type.Optional(Type.Boolean()), maxBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: opts.maxBytes })) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: FileSettingsRef, ...problems(400, 401, 403) },
      },
    },
    async (request) => chats.fileSettings.update(siteContext(request.principal), request.body),
  );

  app.get(
    '/files/:key/:name',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['chats'],
        summary: 'A file sent in a chat (its address is its key)',
        params: Type.Object({ key: Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' }), name: Type.String({ maxLength: 800 }) }),
        response: { 200: Type.Unknown(), ...problems(404) },
      },
    },
    async (request, reply) => {
      const f = await chats.downloadFile(request.params.key);
      const disposition = `${f.inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.name)}`;
      return reply
        .type(f.mimeType)
        .header('content-disposition', disposition)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(Buffer.from(f.data));
    },
  );
}
