// Where a sign-in may send a browser back to (return_to, RelayState), which pages may frame
// Parley's embeddable pages and host the Agent Console SDK (Parley's, the partner's own hosts and
// the embed origins it listed, nothing else), and the origin a partner's agents sign in at.
import net from 'node:net';
import type { Kysely } from 'kysely';
import { BadRequest } from '../../platform/errors.ts';
import type { PartnerHostNames } from '../partners/index.ts';
import { idpUrlsOf } from './sso.repository.ts';
import type { SsoTables } from './sso.tables.ts';

interface Deps {
  db: Kysely<SsoTables>;
  publicUrl: string;
  /** A partner's subdomain and verified custom domains (the partners' door). */
  hostsOf(partnerId: number): Promise<PartnerHostNames | undefined>;
}

/** The return-address and framing policy. */
export function createOriginPolicy({ db, publicUrl, hostsOf }: Deps) {
  const platform = new URL(publicUrl);

  /**
   * The partner's hosts: its Parley subdomain and verified custom domains, and (with `idp`) the
   * hosts of its sign-in and logout pages, which may be shared with others (a hosted IdP).
   */
  async function partnerHosts(partnerId: number, idp: boolean): Promise<Set<string>> {
    const own = await hostsOf(partnerId);
    const hosts = new Set(own ? [...own.domains, own.subdomain] : []);
    if (!idp) return hosts;
    for (const u of await idpUrlsOf(db, partnerId)) hosts.add(new URL(u).hostname);
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
      if (url.origin === platform.origin || url.origin === requestOrigin) return url.toString();
      if (url.protocol === 'https:' && (await partnerHosts(partnerId, true)).has(url.hostname)) return url.toString();
      throw refuse();
    },

    /**
     * The `frame-ancestors` sources of a partner's embeddable pages: its own hosts, any port (not
     * its IdP's host, which other tenants of a hosted IdP share), and the exact origins it listed
     * as embed origins.
     */
    async frameAncestors(partnerId: number): Promise<string[]> {
      const own = await hostsOf(partnerId);
      const hosts = own ? [...new Set([own.subdomain, ...own.domains])].sort().map((h) => `https://${h}:*`) : [];
      return ["'self'", ...hosts, ...(own?.embedOrigins ?? [])];
    },

    /**
     * Whether a page of `origin` may host the partner's Agent Console SDK: the same sources as
     * `frameAncestors` (Parley's own origin, https on the partner's hosts at any port, its embed
     * origins exactly), for the one origin the SDK's frame is then framed by.
     */
    async mayHostSdk(partnerId: number, origin: string, ownOrigin: string): Promise<boolean> {
      const own = await hostsOf(partnerId);
      if (!own) return false;
      if (origin === ownOrigin || origin === platform.origin || own.embedOrigins.includes(origin)) return true;
      const url = new URL(origin);
      return url.protocol === 'https:' && (url.hostname === own.subdomain || own.domains.includes(url.hostname));
    },

    /**
     * The origin a partner's agents sign in at: its own subdomain (a custom domain works as well),
     * or Parley's own when Parley has no domain of its own (an IP address, localhost).
     */
    async signInOrigin(partnerId: number): Promise<string> {
      const own = await hostsOf(partnerId);
      if (!own || net.isIP(platform.hostname) !== 0 || platform.hostname === 'localhost') return platform.origin;
      return `${platform.protocol}//${own.subdomain}${platform.port ? `:${platform.port}` : ''}`;
    },
  };
}

export type OriginPolicy = ReturnType<typeof createOriginPolicy>;
