// The platform's audit log: one row per action on a partner or its sites. Other modules write to it
// in their own transactions through the partners' door (`audit`), so its handle needs this table only.
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { AuditLogTable, PartnersTables } from './partners.tables.ts';

/** The tables an audit entry is written to: a transaction of any module that has them will do. */
export type AuditTables = Pick<PartnersTables, 'audit_log'>;

type Db = Kysely<AuditTables> | Transaction<AuditTables>;

/** Writes one entry. */
export async function insertAuditEntry(db: Db, entry: Insertable<AuditLogTable>): Promise<void> {
  await db.insertInto('audit_log').values(entry).execute();
}

/** The newest entries first, optionally of one partner and before an id. */
export function listAuditEntries(db: Db, q: { partnerId?: number | undefined; before?: number | undefined; limit: number }): Promise<Selectable<AuditLogTable>[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(q.limit);
  if (q.partnerId !== undefined) query = query.where('partner_id', '=', q.partnerId);
  if (q.before !== undefined) query = query.where('id', '<', q.before);
  return query.execute();
}
