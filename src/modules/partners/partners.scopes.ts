// Scopes of partner OAuth tokens (docs/partner-api.md):
//   partner-api       the Partner API: list, open, change and close the partner's sites
//   site-data:read    read the native site API (agents, groups, chats, messages) of the partner's sites
//   site-data:write   read and change it (includes site-data:read)
//   reports           read the Report API of the partner's sites, and its roll-up across them
//   site:{id}         limits site-data and reports to the named sites; without any, every site of the partner
export type Scope = 'partner-api' | 'site-data:read' | 'site-data:write' | 'reports' | `site:${number}`;

const MAX_SCOPES = 50;

/** Parses a space-separated scope string (RFC 6749 §3.3); duplicates are dropped. */
export function parseScopes(raw: string): { ok: true; value: Scope[] } | { ok: false; reason: string } {
  const out: Scope[] = [];
  for (const s of raw.split(' ').filter(Boolean)) {
    const valid = s === 'partner-api' || s === 'site-data:read' || s === 'site-data:write' || s === 'reports' || /^site:[1-9][0-9]{0,15}$/.test(s);
    if (!valid) return { ok: false, reason: `Unknown scope "${s.slice(0, 40)}"; see docs/partner-api.md.` };
    if (!out.includes(s as Scope)) out.push(s as Scope);
  }
  if (out.length > MAX_SCOPES) return { ok: false, reason: `At most ${MAX_SCOPES} scopes.` };
  if (out.some((s) => s.startsWith('site:')) && !out.some((s) => s.startsWith('site-data:') || s === 'reports')) {
    return { ok: false, reason: 'site:{id} scopes limit site-data and reports access; add site-data:read, site-data:write or reports.' };
  }
  return { ok: true, value: out };
}

/**
 * The scopes a token gets when a client allowed `allowed` asks for `requested` (all it may have
 * when it asks for nothing); undefined when it asks for more than it may have.
 */
export function grantScopes(allowed: Scope[], requested: Scope[]): Scope[] | undefined {
  if (requested.length === 0) return allowed;
  const allowedSites = allowed.filter((s) => s.startsWith('site:'));
  for (const s of requested) {
    const ok =
      allowed.includes(s) ||
      (s === 'site-data:read' && allowed.includes('site-data:write')) ||
      (s.startsWith('site:') && allowedSites.length === 0 && allowed.some((a) => a.startsWith('site-data:') || a === 'reports'));
    if (!ok) return undefined;
  }
  // Asking for site data or reports without naming sites cannot widen a client limited to some.
  const asksSites = requested.some((s) => s.startsWith('site:'));
  return asksSites || !requested.some((s) => s.startsWith('site-data:') || s === 'reports') ? requested : [...requested, ...allowedSites];
}

/** What site-data access a token's scopes give on one site: none, read, or write. */
export function siteAccess(scopes: readonly string[], siteId: number): 'none' | 'read' | 'write' {
  const sites = scopes.filter((s) => s.startsWith('site:'));
  if (sites.length > 0 && !sites.includes(`site:${siteId}`)) return 'none';
  if (scopes.includes('site-data:write')) return 'write';
  return scopes.includes('site-data:read') ? 'read' : 'none';
}

/** Whether a token's scopes give the Report API of one site (or, with no site, of the partner's roll-up). */
export function reportsAccess(scopes: readonly string[], siteId?: number): boolean {
  if (!scopes.includes('reports')) return false;
  const sites = scopes.filter((s) => s.startsWith('site:'));
  return siteId === undefined ? sites.length === 0 : sites.length === 0 || sites.includes(`site:${siteId}`);
}
