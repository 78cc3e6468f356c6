// Where a sign-in may send a browser back to (return_to, RelayState), and which pages may frame
// Parley's embeddable pages: the partner's own hosts and Parley's, nothing else.
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { BadRequest } from '../../platform/errors.ts';

interface Deps {
  db: Kysely<DB>;
  publicUrl: string;
  baseDomain: string;
}

/** The return-address and framing policy. */
export function createOriginPolicy({ db, publicUrl, baseDomain }: Deps) {
  const platformOrigin = new URL(publicUrl).origin;

  /**
   * The partner's hosts: its Parley subdomain and verified custom domains, and (with `idp`) the
   * hosts of its sign-in and logout pages, which may be shared with others (a hosted IdP).
   */
  async function partnerHosts(partnerId: number, idp: boolean): Promise<Set<string>> {
    const partner = await db.selectFrom('partners').select('slug').where('id', '=', partnerId).executeTakeFirst();
    const domains = await db.selectFrom('partner_domains').select('host').where('partner_id', '=', partnerId).where('verified_at', 'is not', null).execute();
    const hosts = new Set(domains.map((d) => d.host));
    if (partner) hosts.add(`${partner.slug}.${baseDomain}`);
    if (!idp) return hosts;
    const sso = await db.selectFrom('partner_sso').select(['login_url', 'logout_url']).where('partner_id', '=', partnerId).execute();
    for (const u of sso.flatMap((r) => [r.login_url, r.logout_url])) if (u) hosts.add(new URL(u).hostname);
    return hosts;
  }

  return {
    /**
     * Checks a return address and makes it absolute. Allowed: a path on this origin, Parley's own
     * origin and the origin the request came to, and https on the partner's hosts. Anything else
     * (another site, `//host`, `javascript:`) is refused, so a sign-in link cannot be made into an
     * open redirect.
     */
    async returnTo(raw: string, partnerId: number, requestOrigin: string): Promise<string> {
      const refuse = () => new BadRequest('return_to must be a page of Parley or of the partner (https).', { reason: 'return-to' });
      if (raw.length > 2000 || raw.includes('\\') || [...raw].some((c) => c.charCodeAt(0) < 0x20)) throw refuse();
      if (raw.startsWith('/') && !raw.startsWith('//')) return new URL(raw, requestOrigin).toString();
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw refuse();
      }
      if (url.username || url.password) throw refuse();
      if (url.origin === platformOrigin || url.origin === requestOrigin) return url.toString();
      if (url.protocol === 'https:' && (await partnerHosts(partnerId, true)).has(url.hostname)) return url.toString();
      throw refuse();
    },

    /**
     * The `frame-ancestors` sources of a partner's embeddable pages: its own hosts, any port (not
     * its IdP's host, which other tenants of a hosted IdP share).
     */
    async frameAncestors(partnerId: number): Promise<string[]> {
      return ["'self'", ...[...(await partnerHosts(partnerId, false))].sort().map((h) => `https://${h}:*`)];
    },
  };
}

export type OriginPolicy = ReturnType<typeof createOriginPolicy>;
