// White-label hosts. Every partner answers at `{slug}.{PARLEY_BASE_DOMAIN}` and may add its own
// domains, each proven by a DNS TXT record the partner publishes (docs/partner-platform.md).
// A request's Host names the partner whose brand, logo and theme Parley shows; any other host
// gets the platform's own brand. A partner may also list embed origins: pages elsewhere (its
// product, a developer's localhost) that may frame Parley's embeddable pages.
import { randomBytes } from 'node:crypto';
import { resolveTxt } from 'node:dns/promises';
import net from 'node:net';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../platform/db/database.ts';
import { BadRequest, Conflict, InvalidState, NotFound } from '../../platform/errors.ts';
import { type Actor, audit } from './partners.audit.ts';
import { checkEmbedOrigins } from './partners.embed-origins.ts';
import { countDomains, deleteDomain, type DomainRow, embedOriginsOf, findDomain, insertDomain, listDomains, markVerified, verifiedDomain, verifiedHostsOf } from './partners.hosts.repository.ts';
import { themeCssUrl } from './partners.presenter.ts';
import { brandOf as brandRow, partnerExists, partnerIdOfSlug, updatePartner } from './partners.repository.ts';
import type { PartnersTables } from './partners.tables.ts';

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

/** What a page or the widget shows of a brand: the partner's branding text in place of its name when it set one. */
export function shownBrand(b: Brand): { name: string; logoUrl: string | null; themeCssUrl: string | null } {
  return { name: b.branding ?? b.name, logoUrl: b.logoUrl, themeCssUrl: b.themeCssUrl };
}

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** Lower-case host without port or trailing dot. */
export function normalizeHost(raw: string): string {
  const h = raw.trim().toLowerCase();
  const noPort = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d+$/, '');
  return noPort.replace(/\.$/, '');
}

/** A partner's white-label hosts. */
export interface PartnerHostNames {
  /** `{slug}.{PARLEY_BASE_DOMAIN}`. */
  subdomain: string;
  /** Its verified custom domains. */
  domains: string[];
  /** Other origins that may frame its embeddable pages (`https://app.partner.com:8443`). */
  embedOrigins: string[];
}

/** White-label hosts: which partner a host shows, partners' custom domains and embed origins. */
export interface PartnerHosts {
  /** The brand of a partner (the platform's for null), for pages tied to a site rather than a host. */
  ofPartner(partnerId: number | null): Promise<Brand>;
  /** The brand of a request's host (cached briefly: changes show within 30 seconds). */
  resolve(rawHost: string | undefined): Promise<Brand>;
  /** Forgets cached brands (after a change that should show at once on this node). */
  forget(): void;
  /** A partner's subdomain, verified custom domains and embed origins; undefined for no such partner. */
  hostsOf(partnerId: number): Promise<PartnerHostNames | undefined>;
  /** The origins, besides the partner's own hosts, that may frame its embeddable pages. */
  embedOrigins(partnerId: number): Promise<string[]>;
  /** Replaces the embed origins (checked and normalised; an invalid entry changes nothing). */
  setEmbedOrigins(partnerId: number, actor: Actor, origins: string[]): Promise<string[]>;
  /** The partner's custom domains, verified or not. */
  list(partnerId: number): Promise<DomainView[]>;
  /** Adds a custom domain; it serves the partner's brand once verified. */
  add(partnerId: number, actor: Actor, rawHost: string): Promise<DomainView>;
  /** Checks the domain's TXT record; marks it verified when the token is there. */
  verify(partnerId: number, actor: Actor, id: number): Promise<DomainView>;
  /** Removes a custom domain. */
  remove(partnerId: number, actor: Actor, id: number): Promise<void>;
}

interface Deps {
  db: Kysely<PartnersTables>;
  baseDomain: string;
  publicUrl: string;
  platformName: string;
  verify: DomainVerifier;
}

/** Custom domains and host resolution. */
export function createPartnerHosts({ db, baseDomain, publicUrl, platformName, verify }: Deps): PartnerHosts {
  const cache = new Map<string, { brand: Brand; until: number }>();

  async function requirePartner(partnerId: number): Promise<void> {
    if (!(await partnerExists(db, partnerId))) throw new NotFound('partner', partnerId);
  }

  const present = (d: DomainRow): DomainView => ({
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
      if (!slug.includes('.')) return partnerIdOfSlug(db, slug);
    }
    return (await verifiedDomain(db, host))?.partner_id;
  }

  async function brandOf(partnerId: number | undefined): Promise<Brand> {
    const p = partnerId === undefined ? undefined : await brandRow(db, partnerId);
    if (!p) return { partnerId: null, slug: null, name: platformName, branding: null, logoUrl: null, themeCssUrl: null };
    return {
      partnerId: p.id,
      slug: p.slug,
      name: p.name,
      branding: p.branding ?? null,
      logoUrl: p.logo ? `${publicUrl}/brand/logos/${p.logo}` : null,
      themeCssUrl: themeCssUrl(publicUrl, p.slug, p.updated_at),
    };
  }

  return {
    ofPartner: (partnerId) => brandOf(partnerId ?? undefined),

    async resolve(rawHost) {
      const host = normalizeHost(rawHost ?? '');
      const hit = cache.get(host);
      if (hit && hit.until > Date.now()) return hit.brand;
      const brand = await brandOf(host === '' ? undefined : await partnerIdOf(host));
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(host, { brand, until: Date.now() + CACHE_MS });
      return brand;
    },

    forget() {
      cache.clear();
    },

    async hostsOf(partnerId) {
      const brand = await brandRow(db, partnerId);
      if (!brand) return undefined;
      const origins = (await embedOriginsOf(db, partnerId)) ?? '[]';
      return { subdomain: `${brand.slug}.${baseDomain}`, domains: await verifiedHostsOf(db, partnerId), embedOrigins: JSON.parse(origins) as string[] };
    },

    async embedOrigins(partnerId) {
      const origins = await embedOriginsOf(db, partnerId);
      if (origins === undefined) throw new NotFound('partner', partnerId);
      return JSON.parse(origins) as string[];
    },

    async setEmbedOrigins(partnerId, actor, origins) {
      const checked = checkEmbedOrigins(origins);
      if (!checked.ok) {
        throw new BadRequest('The embed origins have invalid entries.', { errors: checked.errors.map((e) => ({ path: `body.origins.${e.index}`, message: e.reason })) });
      }
      return db.transaction().execute(async (trx) => {
        const before = await embedOriginsOf(trx, partnerId);
        if (before === undefined) throw new NotFound('partner', partnerId);
        await updatePartner(trx, partnerId, { embed_origins: JSON.stringify(checked.value) });
        await audit(trx, actor, { action: 'partner.embedOriginsUpdated', partnerId, target: `partner:${partnerId}`, before: JSON.parse(before), after: checked.value });
        return checked.value;
      });
    },

    async list(partnerId) {
      await requirePartner(partnerId);
      return (await listDomains(db, partnerId)).map(present);
    },

    async add(partnerId, actor, rawHost) {
      const host = normalizeHost(rawHost);
      if (net.isIP(host) !== 0 || !HOSTNAME.test(host)) throw new BadRequest(`${rawHost.slice(0, 100)} is not a domain name such as chat.example.com.`);
      if (host === baseDomain || host.endsWith(`.${baseDomain}`)) throw new BadRequest(`Hosts under ${baseDomain} are Parley's; every partner has {slug}.${baseDomain} already.`);
      await requirePartner(partnerId);
      return db.transaction().execute(async (trx) => {
        if ((await countDomains(trx, partnerId)) >= MAX_DOMAINS) throw new Conflict(`A partner holds at most ${MAX_DOMAINS} domains.`);
        if (await verifiedDomain(trx, host)) throw new Conflict(`${host} is already verified by its owner.`);
        try {
          const row = await insertDomain(trx, partnerId, host, randomBytes(18).toString('base64url'));
          await audit(trx, actor, { action: 'domain.added', partnerId, target: `domain:${row.id}`, after: { host } });
          return present(row);
        } catch (err) {
          if (isUniqueViolation(err)) throw new Conflict(`${host} is already registered for this partner.`);
          throw err;
        }
      });
    },

    async verify(partnerId, actor, id) {
      const d = await findDomain(db, partnerId, id);
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
          const row = await markVerified(trx, id, d.host);
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

    async remove(partnerId, actor, id) {
      const host = await db.transaction().execute(async (trx) => {
        const host = await deleteDomain(trx, partnerId, id);
        if (host === undefined) throw new NotFound('domain', id);
        await audit(trx, actor, { action: 'domain.removed', partnerId, target: `domain:${id}`, before: { host } });
        return host;
      });
      cache.delete(host);
    },
  };
}
