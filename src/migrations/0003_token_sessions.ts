// Login sessions: a refreshed token belongs to the session of the token it replaced, so that a
// logout ends the whole session and a new operator login supersedes every earlier one.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not the current DB type
type AnyDb = Kysely<any>;

/** Adds the session of each token and the operator's current panel session. */
export async function up(db: AnyDb, m: MigrationContext): Promise<void> {
  // Null: the token started its own session (its id is the session's).
  await db.schema.alterTable('auth_tokens').addColumn('session_id', m.types.ref).execute();
  await db.schema.createIndex('auth_tokens_session').on('auth_tokens').column('session_id').execute();
  // Sessions below this one are superseded by the operator's latest panel login.
  await db.schema.alterTable('agents').addColumn('operator_session_id', m.types.ref, (c) => c.notNull().defaultTo(0)).execute();
}
