// A partner's embed origins: web origins outside its own hosts (its product, a developer's
// localhost) that may frame Parley's embeddable pages as well.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not the current DB type
type AnyDb = Kysely<any>;

/** Adds the partners' embed origins. */
export async function up(db: AnyDb): Promise<void> {
  // A JSON array of normalised origins (`https://app.partner.com:8443`), checked by the API.
  await db.schema.alterTable('partners').addColumn('embed_origins', 'text', (c) => c.notNull().defaultTo('[]')).execute();
}
