// Partners' custom domains: claimed by a partner, verified by a DNS record. A host is verified for
// one partner at most; unverified claims of the same host by others may wait side by side. And the
// partner's embed origins: other web origins that may frame its pages.
import type { Kysely, Transaction } from 'kysely';
import type { PartnersTables } from './partners.tables.ts';

type Db = Kysely<PartnersTables> | Transaction<PartnersTables>;

/** A custom domain as stored. */
export interface DomainRow {
  id: number;
  host: string;
  verification_token: string;
  verified_at: string | null;
  created_at: string;
}

/** The partner's domains, oldest first. */
export function listDomains(db: Db, partnerId: number): Promise<DomainRow[]> {
  return db.selectFrom('partner_domains').selectAll().where('partner_id', '=', partnerId).orderBy('id').execute();
}

/** The hosts of the partner's verified domains. */
export async function verifiedHostsOf(db: Db, partnerId: number): Promise<string[]> {
  return (await db.selectFrom('partner_domains').select('host').where('partner_id', '=', partnerId).where('verified_at', 'is not', null).execute()).map((d) => d.host);
}

/** How many domains the partner holds, verified or not. */
export async function countDomains(db: Db, partnerId: number): Promise<number> {
  return Number((await db.selectFrom('partner_domains').select((eb) => eb.fn.countAll<number>().as('n')).where('partner_id', '=', partnerId).executeTakeFirstOrThrow()).n);
}

/** The verified domain of this host, and whose it is. */
export function verifiedDomain(db: Db, host: string): Promise<{ id: number; partner_id: number } | undefined> {
  return db.selectFrom('partner_domains').select(['id', 'partner_id']).where('host', '=', host).where('verified_at', 'is not', null).executeTakeFirst();
}

/** One domain of the partner. */
export function findDomain(db: Db, partnerId: number, id: number): Promise<DomainRow | undefined> {
  return db.selectFrom('partner_domains').selectAll().where('partner_id', '=', partnerId).where('id', '=', id).executeTakeFirst();
}

/** Stores a claim of a host by the partner, with the token its DNS record must publish. */
export function insertDomain(db: Db, partnerId: number, host: string, verificationToken: string): Promise<DomainRow> {
  return db.insertInto('partner_domains').values({ partner_id: partnerId, host, verification_token: verificationToken }).returningAll().executeTakeFirstOrThrow();
}

/** Marks a domain verified, and drops the other partners' unverified claims of its host. */
export async function markVerified(db: Db, id: number, host: string): Promise<DomainRow> {
  const row = await db.updateTable('partner_domains').set({ verified_at: new Date().toISOString() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  await db.deleteFrom('partner_domains').where('host', '=', host).where('id', '<>', id).where('verified_at', 'is', null).execute();
  return row;
}

/** Deletes a domain of the partner; returns its host, or undefined when there is none. */
export async function deleteDomain(db: Db, partnerId: number, id: number): Promise<string | undefined> {
  return (await db.deleteFrom('partner_domains').where('partner_id', '=', partnerId).where('id', '=', id).returning('host').executeTakeFirst())?.host;
}

/** The partner's embed origins as stored (a JSON array); undefined for no such partner. */
export async function embedOriginsOf(db: Db, partnerId: number): Promise<string | undefined> {
  return (await db.selectFrom('partners').select('embed_origins').where('id', '=', partnerId).executeTakeFirst())?.embed_origins;
}
