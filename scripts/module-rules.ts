// The house rules of src/, checked by reading the source (test/architecture.test.ts runs them on
// Parley and on a fixture that breaks each one):
// - a module is entered only through its index.ts (its door);
// - modules do not import each other in a cycle;
// - platform/ never imports a module;
// - a table is read and written only by the module that owns it (docs/architecture.md), except
//   the accesses listed in TABLE_DEBT, which are to move behind the owner's door and may only shrink.
//   Only literal table names are seen (a table chosen at run time from a union is not).
import fs from 'node:fs';
import path from 'node:path';

export interface Violation {
  rule: 'door' | 'cycle' | 'layer' | 'table';
  file: string;
  detail: string;
}

/** Which module owns each table; `platform/events` owns the event log's. */
export const TABLE_OWNERS: Record<string, string> = {
  platform_users: 'identity',
  auth_tokens: 'identity',
  server_settings: 'identity',
  sites: 'tenancy',
  site_settings: 'tenancy',
  agents: 'agents',
  groups: 'agents',
  group_members: 'agents',
  visitors: 'visitors',
  chats: 'chat',
  chat_agents: 'chat',
  messages: 'chat',
  message_revisions: 'chat',
  chat_refusals: 'chat',
  attachments: 'chat',
  robot_questions: 'robot',
  robot_ratings: 'robot',
  im_api_keys: 'im',
  chat_surveys: 'im',
  offline_messages: 'im',
  webhook_deliveries: 'webhooks',
  canned_messages: 'canned',
  partners: 'partners',
  partner_configs: 'partners',
  partner_themes: 'partners',
  partner_applications: 'partners',
  partner_users: 'partners',
  one_time_links: 'partners',
  partner_oauth_clients: 'partners',
  partner_tokens: 'partners',
  partner_domains: 'partners',
  idempotency_keys: 'partners',
  audit_log: 'partners',
  email_outbox: 'partners',
  partner_sso: 'sso',
  partner_sso_certs: 'sso',
  sso_requests: 'sso',
  sso_used_ids: 'sso',
  events: 'platform/events',
  event_cursors: 'platform/events',
};

/**
 * Accesses to other modules' tables that predate the rule, as `module:table`. Each is to go
 * behind the owner's door; the check fails when one is no longer needed, so the list only shrinks.
 */
export const TABLE_DEBT = new Set([
  'identity:sites',
  'identity:agents',
  'identity:visitors',
  'tenancy:partners',
  'tenancy:partner_configs',
  'chat:agents',
  'chat:groups',
  'chat:group_members',
  'chat:site_settings',
  'chat:sites',
  'chat:visitors',
  'im:agents',
  'im:visitors',
  'im:chats',
  'im:chat_agents',
  'im:messages',
  'im:site_settings',
  'im:sites',
  'partners:agents',
  'partners:chats',
  'partners:sites',
  'webhooks:visitors',
  'webhooks:site_settings',
  'widget:agents',
  'widget:site_settings',
  'sso:partners',
  'sso:partner_domains',
  'sso:sites',
  'sso:agents',
  'sso:server_settings',
  'visitors:chats',
]);

const TABLE_CALL = /\b(?:selectFrom|updateTable|insertInto|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|with)\(\s*'([a-z_]+)(?:\s+as\s+[a-z_]+)?'/g;
const IMPORT = /(?:import|export)\s[^'"]*?from\s+'([^']+)'/g;

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join(dir, f));
}

/** The module a file of src/modules belongs to (its first folder), or undefined outside them. */
function moduleOf(src: string, file: string): string | undefined {
  const rel = path.relative(path.join(src, 'modules'), file);
  return rel.startsWith('..') || !rel.includes(path.sep) ? undefined : rel.split(path.sep)[0];
}

/** Checks the rules over a source tree laid out as src/ is; returns every violation found. */
export function checkModules(src: string, debt: Set<string> = TABLE_DEBT): Violation[] {
  const out: Violation[] = [];
  const graph = new Map<string, Set<string>>();
  const debtSeen = new Set<string>();
  for (const file of [...sourceFiles(path.join(src, 'modules')), ...sourceFiles(path.join(src, 'platform'))]) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(src, file);
    const mine = moduleOf(src, file);
    // modules/events.ts is the union of every module's events, above the modules, not in platform.
    if (mine === undefined && !rel.startsWith(`platform${path.sep}`)) continue;
    for (const [, spec] of text.matchAll(IMPORT)) {
      if (!spec!.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), spec!);
      const theirs = moduleOf(src, target);
      if (mine === undefined) {
        if (theirs !== undefined || path.relative(path.join(src, 'modules'), target) === 'events.ts') {
          out.push({ rule: 'layer', file: rel, detail: `platform imports ${path.relative(src, target)}` });
        }
        continue;
      }
      if (theirs === undefined || theirs === mine) continue;
      if (path.basename(target) !== 'index.ts') out.push({ rule: 'door', file: rel, detail: `imports ${path.relative(src, target)} instead of modules/${theirs}/index.ts` });
      if (!graph.has(mine)) graph.set(mine, new Set());
      graph.get(mine)!.add(theirs);
    }
    if (mine === undefined) continue;
    for (const [, table] of text.matchAll(TABLE_CALL)) {
      const owner = TABLE_OWNERS[table!];
      if (owner === undefined || owner === mine) continue;
      const key = `${mine}:${table}`;
      if (debt.has(key)) debtSeen.add(key);
      else out.push({ rule: 'table', file: rel, detail: `uses ${table}, which ${owner} owns` });
    }
  }
  for (const key of debt) {
    const [mod] = key.split(':');
    if (!debtSeen.has(key) && fs.existsSync(path.join(src, 'modules', mod!))) {
      out.push({ rule: 'table', file: `modules/${mod}`, detail: `${key} is listed as debt but no longer happens: strike it from TABLE_DEBT` });
    }
  }
  out.push(...cycles(graph));
  return out;
}

/** Every cycle between modules, each reported once (by its smallest module first). */
function cycles(graph: Map<string, Set<string>>): Violation[] {
  const found = new Map<string, string[]>();
  const walk = (start: string, at: string, trail: string[]) => {
    for (const next of graph.get(at) ?? []) {
      if (next === start) {
        const cycle = [...trail];
        const min = cycle.indexOf([...cycle].sort()[0]!);
        const key = [...cycle.slice(min), ...cycle.slice(0, min)].join(' → ');
        found.set(key, cycle);
      } else if (!trail.includes(next) && trail.length < 8) walk(start, next, [...trail, next]);
    }
  };
  for (const m of graph.keys()) walk(m, m, [m]);
  return [...found.keys()].map((key) => ({ rule: 'cycle' as const, file: `modules/${key.split(' → ')[0]}`, detail: `${key} → ${key.split(' → ')[0]}` }));
}

// `node scripts/module-rules.ts` prints what it finds.
if (import.meta.main) {
  const found = checkModules(path.resolve(import.meta.dirname, '../src'));
  for (const v of found) console.log(`${v.rule}\t${v.file}\t${v.detail}`);
  console.log(found.length === 0 ? 'module rules hold' : `${found.length} violations`);
  process.exitCode = found.length === 0 ? 0 : 1;
}
