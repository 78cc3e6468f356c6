// What the IM API needs: per-site IM settings (routing rule, queue limits, robot, survey, callback),
// IM API keys, the robot's knowledge base and its ratings, session surveys, offline messages and the
// webhook outbox; agent priority tiers, customer phones, and the chat columns routing and the robot use.
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not the current DB type
type AnyDb = Kysely<any>;

/** Adds the IM API's tables and columns. */
export async function up(db: AnyDb, m: MigrationContext): Promise<void> {
  const { id, ref, ts, bool, now } = m.types;

  // Tier 1 agents take chats before tier 2, and so on.
  await db.schema.alterTable('agents').addColumn('priority', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('visitors').addColumn('phone', 'text').execute();
  // When the chat (last) joined the queue: the queue is in this order, not by chat id, so a chat
  // that comes from the robot later waits behind those already queued.
  await db.schema.alterTable('chats').addColumn('queued_at', ts).execute();
  // A chat asked for one agent by name waits for that agent only.
  await db.schema.alterTable('chats').addColumn('requested_agent_id', ref, (c) => c.references('agents.id').onDelete('set null')).execute();
  // Consecutive questions the robot could not answer; it hands over after the site's limit.
  await db.schema.alterTable('chats').addColumn('robot_misses', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`UPDATE chats SET queued_at = requested_at WHERE status = 'queued'`.execute(db);
  await db.schema.createIndex('chats_site_queue').on('chats').columns(['site_id', 'status', 'queued_at', 'id']).execute();

  await db.schema
    .createTable('site_settings')
    .addColumn('site_id', ref, (c) => c.primaryKey().references('sites.id').onDelete('cascade'))
    .addColumn('routing_rule', 'text', (c) => c.notNull().defaultTo('least-busy').check(sql`routing_rule in ('least-busy', 'round-robin')`))
    .addColumn('max_queue_length', 'integer')
    .addColumn('max_queue_wait_seconds', 'integer')
    .addColumn('offline_message', 'text')
    .addColumn('callback_url', 'text')
    // The webhook signing secret is derived from the server secret and this version; rotating bumps it.
    .addColumn('signing_secret_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('robot', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('survey', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('im_api_keys')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('last_used_at', ts)
    .addColumn('revoked_at', ts)
    .execute();
  await db.schema.createIndex('im_api_keys_site').on('im_api_keys').columns(['site_id', 'id']).execute();

  await db.schema
    .createTable('robot_questions')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('qa').check(sql`kind in ('qa', 'greeting')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('alternatives', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('related', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('third_url', 'text')
    .addColumn('is_active', bool, (c) => c.notNull().defaultTo(m.true))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('robot_questions_site').on('robot_questions').columns(['site_id', 'id']).execute();

  await db.schema
    .createTable('robot_ratings')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('chat_id', ref, (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('message_id', ref, (c) => c.notNull().unique().references('messages.id').onDelete('cascade'))
    // Not a foreign key: a rating outlives the question it rated.
    .addColumn('question_id', ref, (c) => c.notNull())
    .addColumn('useful', bool, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('robot_ratings_site_question').on('robot_ratings').columns(['site_id', 'question_id']).execute();

  await db.schema
    .createTable('chat_surveys')
    .addColumn('chat_id', ref, (c) => c.primaryKey().references('chats.id').onDelete('cascade'))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('agent_id', ref, (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('option_id', 'integer', (c) => c.notNull())
    .addColumn('option_text', 'text', (c) => c.notNull())
    .addColumn('remark', 'text')
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('chat_surveys_site').on('chat_surveys').columns(['site_id', 'chat_id']).execute();

  await db.schema
    .createTable('offline_messages')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('visitor_id', ref, (c) => c.notNull().references('visitors.id').onDelete('cascade'))
    .addColumn('group_id', ref, (c) => c.references('groups.id').onDelete('set null'))
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('new').check(sql`status in ('new', 'handled')`))
    .addColumn('handled_by', ref, (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('handled_at', ts)
    .execute();
  await db.schema.createIndex('offline_messages_site').on('offline_messages').columns(['site_id', 'status', 'id']).execute();

  // The outbox: one row per callback request, written in the transaction of what it reports.
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('delivery_id', 'text', (c) => c.notNull().unique())
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('visitor_id', ref, (c) => c.notNull().references('visitors.id').onDelete('cascade'))
    .addColumn('chat_id', ref, (c) => c.references('chats.id').onDelete('set null'))
    .addColumn('message_id', ref, (c) => c.references('messages.id').onDelete('set null'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'delivered', 'dead')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', ts, (c) => c.notNull())
    // Retries stop here and the delivery is dead; a re-send starts a new period.
    .addColumn('give_up_at', ts, (c) => c.notNull())
    // A node sending this delivery holds it until then; another node takes over after a crash.
    .addColumn('lease_until', ts)
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('delivered_at', ts)
    .addColumn('dead_at', ts)
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_customer').on('webhook_deliveries').columns(['site_id', 'visitor_id', 'status', 'id']).execute();
  await db.schema.createIndex('webhook_deliveries_site').on('webhook_deliveries').columns(['site_id', 'id']).execute();
}
