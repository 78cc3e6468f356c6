// The webhooks module's tables, as Kysely sees them. Only this module's repositories query them;
// other modules go through modules/webhooks/index.ts.
import type { ColumnType, Selectable } from 'kysely';
import type { CreatedAt, Id } from '../../platform/db/columns.ts';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface WebhookDeliveriesTable {
  id: Id;
  delivery_id: string;
  site_id: number;
  visitor_id: number;
  chat_id: number | null;
  message_id: number | null;
  event: string;
  body: string;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string;
  give_up_at: string;
  lease_until: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: CreatedAt;
  delivered_at: string | null;
  dead_at: string | null;
}

// A type, not an interface: Kysely's withTables() wants an index signature.
export type WebhooksTables = {
  webhook_deliveries: WebhookDeliveriesTable;
};

export type WebhookDelivery = Selectable<WebhookDeliveriesTable>;
