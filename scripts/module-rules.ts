// The house rules of src/, checked by reading the source (test/architecture.test.ts runs them on
// Parley and on a fixture that breaks each one):
// - a module is entered only through its index.ts (its door);
// - modules do not import each other in a cycle;
// - platform/ never imports a module;
// - a table is read and written only by the module that declares it in its <module>.tables.ts, except
//   the accesses listed in TABLE_DEBT, which are to move behind the owner's door and may only shrink.
//   Only literal table names are seen (a table chosen at run time from a union is not).
import fs from 'node:fs';
import path from 'node:path';

export interface Violation {
  rule: 'door' | 'cycle' | 'layer' | 'table';
  file: string;
  detail: string;
  /** The DEBT entry that would excuse it, for the rules that have debt. */
  debt?: string;
}

/**
 * Which module owns each table: the tables a module declares in its `<module>.tables.ts` (and the
 * event log's, in platform/events/tables.ts), read from `export type <Name>Tables = { table: …; }`.
 */
export function tableOwners(src: string): Record<string, string> {
  const owners: Record<string, string> = {};
  const declared = (file: string, owner: string) => {
    const text = fs.readFileSync(file, 'utf8');
    for (const [, body] of text.matchAll(/export type \w+Tables = \{([^}]*)\}/g)) {
      for (const [, table] of body!.matchAll(/^\s*([a-z_]+):/gm)) owners[table!] = owner;
    }
  };
  const modules = path.join(src, 'modules');
  for (const mod of fs.existsSync(modules) ? fs.readdirSync(modules) : []) {
    const file = path.join(modules, mod, `${mod}.tables.ts`);
    if (fs.existsSync(file)) declared(file, mod);
  }
  const events = path.join(src, 'platform', 'events', 'tables.ts');
  if (fs.existsSync(events)) declared(events, 'platform/events');
  return owners;
}

/**
 * What predates the rules, to be paid off: `table:<module>:<table>` (a foreign table used),
 * `query:<file>` (queries outside a repository), `db:<file>` (typed with the whole database). The
 * check fails when a listed one no longer happens, so the list only shrinks.
 */
export const DEBT = new Set<string>([
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
export function checkModules(src: string, debt: Set<string> = DEBT): Violation[] {
  const out: Violation[] = [];
  const graph = new Map<string, Set<string>>();
  const debtSeen = new Set<string>();
  const owners = tableOwners(src);
  /** Reports a violation unless it is listed as debt (then it is only marked as still there). */
  const breach = (key: string, v: Violation) => {
    if (debt.has(key)) debtSeen.add(key);
    else out.push({ ...v, debt: key });
  };
  const wholeDb = path.join(src, 'modules', 'tables.ts');
  for (const file of [...sourceFiles(path.join(src, 'modules')), ...sourceFiles(path.join(src, 'platform'))]) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(src, file);
    const mine = moduleOf(src, file);
    // modules/events.ts and modules/tables.ts unite every module's events and tables for the
    // composition root: above the modules, not in platform.
    if (mine === undefined && !rel.startsWith(`platform${path.sep}`)) continue;
    for (const [, spec] of text.matchAll(IMPORT)) {
      if (!spec!.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), spec!);
      const theirs = moduleOf(src, target);
      if (mine === undefined) {
        if (theirs !== undefined || path.dirname(target) === path.join(src, 'modules')) {
          out.push({ rule: 'layer', file: rel, detail: `platform imports ${path.relative(src, target)}` });
        }
        continue;
      }
      if (target === wholeDb) {
        breach(`db:${toPosix(rel)}`, { rule: 'table', file: rel, detail: 'types its queries with every module\'s tables (modules/tables.ts) instead of its own' });
      }
      if (theirs === undefined || theirs === mine) continue;
      if (path.basename(target) !== 'index.ts') out.push({ rule: 'door', file: rel, detail: `imports ${path.relative(src, target)} instead of modules/${theirs}/index.ts` });
      if (!graph.has(mine)) graph.set(mine, new Set());
      graph.get(mine)!.add(theirs);
    }
    if (mine === undefined) continue;
    const tables = [...text.matchAll(TABLE_CALL)].map((m) => m[1]!);
    if (tables.length > 0 && !/\.repository\.ts$/.test(file)) {
      breach(`query:${toPosix(rel)}`, { rule: 'table', file: rel, detail: 'queries tables outside a repository (*.repository.ts)' });
    }
    for (const table of tables) {
      const owner = owners[table];
      if (owner === undefined || owner === mine) continue;
      breach(`table:${mine}:${table}`, { rule: 'table', file: rel, detail: `uses ${table}, which ${owner} owns` });
    }
  }
  for (const key of debt) {
    if (!debtSeen.has(key)) out.push({ rule: 'table', file: 'scripts/module-rules.ts', detail: `${key} is listed as debt but no longer happens: strike it from DEBT` });
  }
  out.push(...cycles(graph));
  return out;
}

const toPosix = (p: string) => p.split(path.sep).join('/');

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
