// White-label hosts. Every partner answers at `{slug}.{PARLEY_BASE_DOMAIN}` and may add its own
// domains, each proven by a DNS TXT record the partner publishes (docs/partner-platform.md).
// A request's Host names the partner whose brand, logo and theme Parley shows; any other host
// gets the platform's own brand.
import { randomBytes } from 'node:crypto';
import { resolveTxt } from 'node:dns/promises';
import net from 'node:net';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';
import { BadRequest, Conflict, InvalidState, NotFound } from '../../platform/errors.ts';
import { type Actor, audit } from './partners.audit.ts';

/** Proves that `host` publishes `token`; the default asks DNS (fakes stand in for it in tests). */
export type DomainVerifier = (host: string, token: string) => Promise<boolean>;

export const VERIFICATION_LABEL = '_parley-verification';
const MAX_DOMAINS = 20;
const CACHE_MS = 30_000;
const CACHE_SIZE = 1000;

/** Looks for `parley-verification={token}` in the TXT records of `_parley-verification.{host}`. */
export const dnsVerifier: DomainVerifier = async (host, token) => {
  try {
    const records = await resolveTxt(`${VERIFICATION_LABEL}.${host}`);
    return records.some((chunks) => chunks.join('') === `parley-verification=${token}`);
  } catch {
    return false;
  }
};

export interface DomainView {
  id: number;
  host: string;
  verified: boolean;
  verifiedAt: string | null;
  createdAt: string;
  /** What to publish to prove the domain: a TXT record. */
  verification: { type: 'TXT'; name: string; value: string };
}

export interface Brand {
  /** Null: the platform's own brand. */
  partnerId: number | null;
  slug: string | null;
  name: string;
  branding: string | null;
  logoUrl: string | null;
  themeCssUrl: string | null;
}

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** Lower-case host without port or trailing dot. */
export function normalizeHost(raw: string): string {
  const h = raw.trim().toLowerCase();
  const noPort = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d+$/, '');
  return noPort.replace(/\.$/, '');
}

interface Deps {
  db: Kysely<DB>;
  baseDomain: string;
  publicUrl: string;
  platformName: string;
  verify: DomainVerifier;
}

/** Custom domains and host resolution. */
export function createPartnerHosts({ db, baseDomain, publicUrl, platformName, verify }: Deps) {
  const cache = new Map<string, { brand: Brand; until: number }>();

  async function requirePartner(partnerId: number): Promise<void> {
    if (!(await db.selectFrom('partners').select('id').where('id', '=', partnerId).executeTakeFirst())) throw new NotFound('partner', partnerId);
  }

  const present = (d: { id: number; host: string; verification_token: string; verified_at: string | null; created_at: string }): DomainView => ({
    id: d.id,
    host: d.host,
    verified: d.verified_at !== null,
    verifiedAt: d.verified_at,
    createdAt: d.created_at,
    verification: { type: 'TXT', name: `${VERIFICATION_LABEL}.${d.host}`, value: `parley-verification=${d.verification_token}` },
  });

  async function partnerIdOf(host: string): Promise<number | undefined> {
    if (host.endsWith(`.${baseDomain}`)) {
      const slug = host.slice(0, -baseDomain.length - 1);
      if (!slug.includes('.')) {
        return (await db.selectFrom('partners').select('id').where('slug', '=', slug).executeTakeFirst())?.id;
      }
    }
    const d = await db.selectFrom('partner_domains').select('partner_id').where('host', '=', host).where('verified_at', 'is not', null).executeTakeFirst();
    return d?.partner_id;
  }

  async function brandOf(partnerId: number | undefined): Promise<Brand> {
    const p =
      partnerId === undefined
        ? undefined
        : await db
            .selectFrom('partners as p')
            .leftJoin('partner_configs as c', 'c.partner_id', 'p.id')
            .select(['p.id', 'p.slug', 'p.name', 'c.branding', 'c.logo'])
            .where('p.id', '=', partnerId)
            .executeTakeFirst();
    if (!p) return { partnerId: null, slug: null, name: platformName, branding: null, logoUrl: null, themeCssUrl: null };
    return {
      partnerId: p.id,
      slug: p.slug,
      name: p.name,
      branding: p.branding ?? null,
      logoUrl: p.logo ? `${publicUrl}/brand/logos/${p.logo}` : null,
      themeCssUrl: `${publicUrl}/brand/${p.slug}/theme.css`,
    };
  }

  return {
    /** The brand of a partner (the platform's for null), for pages tied to a site rather than a host. */
    ofPartner: (partnerId: number | null) => brandOf(partnerId ?? undefined),

    /** The brand of a request's host (cached briefly: changes show within 30 seconds). */
    async resolve(rawHost: string | undefined): Promise<Brand> {
      const host = normalizeHost(rawHost ?? '');
      const hit = cache.get(host);
      if (hit && hit.until > Date.now()) return hit.brand;
      const brand = await brandOf(host === '' ? undefined : await partnerIdOf(host));
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(host, { brand, until: Date.now() + CACHE_MS });
      return brand;
    },

    /** Forgets cached brands (after a change that should show at once on this node). */
    forget(): void {
      cache.clear();
    },

    async list(partnerId: number): Promise<DomainView[]> {
      await requirePartner(partnerId);
      return (await db.selectFrom('partner_domains').selectAll().where('partner_id', '=', partnerId).orderBy('id').execute()).map(present);
    },

    /** Adds a custom domain; it serves the partner's brand once verified. */
    async add(partnerId: number, actor: Actor, rawHost: string): Promise<DomainView> {
      const host = normalizeHost(rawHost);
      if (net.isIP(host) !== 0 || !HOSTNAME.test(host)) throw new BadRequest(`${rawHost.slice(0, 100)} is not a domain name such as chat.example.com.`);
      if (host === baseDomain || host.endsWith(`.${baseDomain}`)) throw new BadRequest(`Hosts under ${baseDomain} are Parley's; every partner has {slug}.${baseDomain} already.`);
      await requirePartner(partnerId);
      return db.transaction().execute(async (trx) => {
        const held = await trx.selectFrom('partner_domains').select((eb) => eb.fn.countAll<number>().as('n')).where('partner_id', '=', partnerId).executeTakeFirstOrThrow();
        if (Number(held.n) >= MAX_DOMAINS) throw new Conflict(`A partner holds at most ${MAX_DOMAINS} domains.`);
        const verified = await trx.selectFrom('partner_domains').select('id').where('host', '=', host).where('verified_at', 'is not', null).executeTakeFirst();
        if (verified) throw new Conflict(`${host} is already verified by its owner.`);
        try {
          const row = await trx
            .insertInto('partner_domains')
            .values({ partner_id: partnerId, host, verification_token: randomBytes(18).toString('base64url') })
            .returningAll()
            .executeTakeFirstOrThrow();
          await audit(trx, actor, { action: 'domain.added', partnerId, target: `domain:${row.id}`, after: { host } });
          return present(row);
        } catch (err) {
          if (isUniqueViolation(err)) throw new Conflict(`${host} is already registered for this partner.`);
          throw err;
        }
      });
    },

    /** Checks the domain's TXT record; marks it verified when the token is there. */
    async verify(partnerId: number, actor: Actor, id: number): Promise<DomainView> {
      const d = await db.selectFrom('partner_domains').selectAll().where('partner_id', '=', partnerId).where('id', '=', id).executeTakeFirst();
      if (!d) throw new NotFound('domain', id);
      if (d.verified_at) return present(d);
      if (!(await verify(d.host, d.verification_token))) {
        const v = present(d).verification;
        throw new InvalidState(`No TXT record ${v.name} with the value ${v.value} was found; DNS changes can take a while to show.`);
      }
      // The DNS record proves ownership: other partners' unverified claims on the host go.
      const row = await db
        .transaction()
        .execute(async (trx) => {
          const row = await trx.updateTable('partner_domains').set({ verified_at: new Date().toISOString() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
          await trx.deleteFrom('partner_domains').where('host', '=', d.host).where('id', '<>', id).where('verified_at', 'is', null).execute();
          await audit(trx, actor, { action: 'domain.verified', partnerId, target: `domain:${id}`, after: { host: d.host } });
          return row;
        })
        .catch((err: unknown) => {
          if (isUniqueViolation(err)) throw new Conflict(`${d.host} is verified by another partner.`);
          throw err;
        });
      cache.delete(d.host);
      return present(row);
    },

    async remove(partnerId: number, actor: Actor, id: number): Promise<void> {
      const host = await db.transaction().execute(async (trx) => {
        const d = await trx.deleteFrom('partner_domains').where('partner_id', '=', partnerId).where('id', '=', id).returning('host').executeTakeFirst();
        if (!d) throw new NotFound('domain', id);
        await audit(trx, actor, { action: 'domain.removed', partnerId, target: `domain:${id}`, before: { host: d.host } });
        return d.host;
      });
      cache.delete(host);
    },
  };
}

export type PartnerHosts = ReturnType<typeof createPartnerHosts>;
