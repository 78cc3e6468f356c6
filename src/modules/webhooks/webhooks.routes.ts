// The site admins' webhook settings and deliveries (reply notifications of the IM API).
import { Type } from 'typebox';
import { siteContext } from '../../platform/context.ts';
import { Id, Nullable, problems, Timestamp } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { MAX_CALLBACK_URL_LENGTH, type WebhooksService } from './webhooks.service.ts';

const DeliveryStatus = Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')]);

export const WebhookSettingsSchema = Type.Object(
  {
    callbackUrl: Nullable(Type.String({ description: 'Where reply notifications are POSTed; null: none are written' })),
    signingSecret: Type.String({ description: 'HMAC-SHA256 key of the X-Parley-Signature header (see docs/webhooks.md)' }),
    signingSecretVersion: Type.Integer({ minimum: 1 }),
  },
  { $id: 'WebhookSettings' },
);
const WebhookSettingsRef = Type.Unsafe<Type.Static<typeof WebhookSettingsSchema>>({ $ref: 'WebhookSettings' });

export const DeliverySchema = Type.Object(
  {
    deliveryId: Type.String({ description: 'The X-Parley-Delivery header; the same on every attempt' }),
    status: DeliveryStatus,
    event: Type.String(),
    customerToken: Nullable(Type.String()),
    chatId: Nullable(Id),
    messageId: Nullable(Id),
    attempts: Type.Integer({ minimum: 0 }),
    lastStatus: Nullable(Type.Integer({ description: 'HTTP status of the last attempt; null if it got no response' })),
    lastError: Nullable(Type.String()),
    nextAttemptAt: Nullable(Timestamp),
    giveUpAt: Nullable(Timestamp),
    createdAt: Timestamp,
    deliveredAt: Nullable(Timestamp),
    deadAt: Nullable(Timestamp),
    body: Type.Unknown({ description: 'The JSON document POSTed' }),
  },
  { $id: 'WebhookDelivery', description: 'One callback request of the outbox, with its attempts so far' },
);
const DeliveryRef = Type.Unsafe<Type.Static<typeof DeliverySchema>>({ $ref: 'WebhookDelivery' });

const DeliveryParams = Type.Object({ deliveryId: Type.String({ format: 'uuid' }) });

/** Registers the webhook routes. */
export function registerWebhookRoutes(app: HttpServer, webhooks: WebhooksService): void {
  app.addSchema(WebhookSettingsSchema);
  app.addSchema(DeliverySchema);
  const security = [{ bearer: [] }];
  const tags = ['webhooks'];

  app.get(
    '/api/v1/im/webhook',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageSettings' },
      schema: { tags, summary: "The site's callback URL and signing secret (site admins)", security, response: { 200: WebhookSettingsRef, ...problems(401, 403) } },
    },
    async (request) => webhooks.getSettings(siteContext(request.principal)),
  );

  app.put(
    '/api/v1/im/webhook',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageSettings' },
      schema: {
        tags,
        summary: 'Set or clear the callback URL (site admins)',
        description: 'Deliveries are written only while a URL is set; pending ones go to the URL of the moment they are sent.',
        security,
        body: Type.Object(
          { callbackUrl: Nullable(Type.String({ format: 'uri', pattern: '^[Hh][Tt][Tt][Pp][Ss]?://', maxLength: MAX_CALLBACK_URL_LENGTH })) },
          { additionalProperties: false },
        ),
        response: { 200: WebhookSettingsRef, ...problems(400, 401, 403) },
      },
    },
    async (request) => webhooks.setCallbackUrl(siteContext(request.principal), request.body.callbackUrl),
  );

  app.post(
    '/api/v1/im/webhook/rotate-secret',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageSettings' },
      schema: {
        tags,
        summary: 'Replace the signing secret at once (site admins)',
        description: 'Every attempt from now on, pending deliveries included, is signed with the new secret.',
        security,
        response: { 200: WebhookSettingsRef, ...problems(401, 403) },
      },
    },
    async (request) => webhooks.rotateSecret(siteContext(request.principal)),
  );

  app.get(
    '/api/v1/im/deliveries',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageSettings' },
      schema: {
        tags,
        summary: "The site's webhook deliveries, newest first (site admins)",
        security,
        querystring: Type.Object(
          {
            status: Type.Optional(DeliveryStatus),
            customerToken: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'nextCursor of the previous page' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ deliveries: Type.Array(DeliveryRef), nextCursor: Nullable(Type.Integer()) }), ...problems(400, 401, 403) },
      },
    },
    async (request) => webhooks.list(siteContext(request.principal), request.query),
  );

  app.get(
    '/api/v1/im/deliveries/:deliveryId',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageSettings' },
      schema: { tags, summary: 'One webhook delivery (site admins)', security, params: DeliveryParams, response: { 200: DeliveryRef, ...problems(400, 401, 403, 404) } },
    },
    async (request) => webhooks.get(siteContext(request.principal), request.params.deliveryId),
  );

  app.post(
    '/api/v1/im/deliveries/:deliveryId/resend',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageSettings' },
      schema: {
        tags,
        summary: 'Send a dead delivery again, under the same delivery id (site admins)',
        description: 'The delivery is pending again, due now, retried for a new period; only dead deliveries can be re-sent (409 otherwise).',
        security,
        params: DeliveryParams,
        response: { 200: DeliveryRef, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => webhooks.resend(siteContext(request.principal), request.params.deliveryId),
  );
}
