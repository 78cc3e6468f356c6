// The first answers of partners' idempotent site creations (Idempotency-Key), sealed, kept a day.
// The sites themselves are tenancy's; partners still query them in partners.foreign.repository.ts.
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { IdempotencyKeysTable, PartnersTables } from './partners.tables.ts';

type Db = Kysely<PartnersTables> | Transaction<PartnersTables>;

/** The stored answer of the partner's request with this key. */
export function findIdempotencyKey(db: Db, partnerId: number, key: string): Promise<Selectable<IdempotencyKeysTable> | undefined> {
  return db.selectFrom('idempotency_keys').selectAll().where('partner_id', '=', partnerId).where('key', '=', key).executeTakeFirst();
}

/** Stores the first answer of a keyed request; a second one with the same key violates uniqueness. */
export async function insertIdempotencyKey(db: Db, row: Insertable<IdempotencyKeysTable>): Promise<void> {
  await db.insertInto('idempotency_keys').values(row).execute();
}

/** Forgets one stored answer. */
export async function deleteIdempotencyKey(db: Db, id: number): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('id', '=', id).execute();
}

/** Forgets every stored answer older than `before`. */
export async function deleteIdempotencyKeysBefore(db: Db, before: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('created_at', '<', before).execute();
}
