// The house rules of src/ (scripts/module-rules.ts): modules entered through their doors, no
// cycles between them, platform below every module, tables used by their owners only. They hold
// for Parley, and a tree that breaks each one is caught.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkModules } from '../scripts/module-rules.ts';

const root = path.resolve(import.meta.dirname, '..');

test("Parley's modules keep the house rules", () => {
  assert.deepEqual(checkModules(path.join(root, 'src')), []);
});

test('a tree that goes around a door, imports in a cycle, lifts platform above a module, uses a foreign table or the whole database, or queries outside a repository fails', (t) => {
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-rules-'));
  t.after(() => fs.rmSync(src, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'modules/alpha/index.ts': "export { alpha } from './alpha.repository.ts';\n",
    'modules/alpha/alpha.tables.ts': 'export type AlphaTables = {\n  alphas: AlphasTable;\n};\n',
    'modules/alpha/alpha.repository.ts':
      "import { beta } from '../beta/index.ts';\nexport const alpha = (q) => q.selectFrom('chats').where('x', '=', beta);\nexport const own = (q) => q.insertInto('events');\nexport const mine = (q) => q.selectFrom('alphas');\n",
    // Its own table, but queried from a service.
    'modules/alpha/alpha.service.ts': "export const count = (q) => q.selectFrom('alphas').selectAll();\n",
    'modules/beta/index.ts': "export { beta } from './beta.service.ts';\n",
    'modules/beta/beta.tables.ts': 'export type BetaTables = {\n  chats: ChatsTable;\n  sites: SitesTable;\n};\n',
    'modules/beta/beta.service.ts': "import { alpha } from '../alpha/alpha.service.ts';\nimport type { DB } from '../tables.ts';\nexport const beta = alpha;\n",
    // Listed as debt: allowed until it goes.
    'modules/gamma/gamma.repository.ts': "export const gamma = (q) => q.selectFrom('sites as s').selectAll();\n",
    'modules/events.ts': "export type { AlphaEvent } from './alpha/index.ts';\n",
    'modules/tables.ts': "export type { AlphaTables } from './alpha/alpha.tables.ts';\n",
    'platform/events/tables.ts': 'export type EventTables = {\n  events: EventsTable;\n  event_cursors: EventCursorsTable;\n};\n',
    'platform/helper.ts': "import { alpha } from '../modules/alpha/index.ts';\nexport const helper = alpha;\n",
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
    fs.writeFileSync(path.join(src, file), text);
  }
  const found = checkModules(src, new Set(['table:gamma:sites', 'table:beta:agents'])).map((v) => `${v.rule} ${v.file}: ${v.detail}`);
  const p = (...parts: string[]) => path.join(...parts);
  assert.deepEqual(found.sort(), [
    'cycle modules/alpha: alpha → beta → alpha',
    `door ${p('modules', 'beta', 'beta.service.ts')}: imports ${p('modules', 'alpha', 'alpha.service.ts')} instead of modules/alpha/index.ts`,
    `layer ${p('platform', 'helper.ts')}: platform imports ${p('modules', 'alpha', 'index.ts')}`,
    `table ${p('modules', 'alpha', 'alpha.repository.ts')}: uses chats, which beta owns`,
    `table ${p('modules', 'alpha', 'alpha.repository.ts')}: uses events, which platform/events owns`,
    `table ${p('modules', 'alpha', 'alpha.service.ts')}: queries tables outside a repository (*.repository.ts)`,
    `table ${p('modules', 'beta', 'beta.service.ts')}: types its queries with every module's tables (modules/tables.ts) instead of its own`,
    'table scripts/module-rules.ts: table:beta:agents is listed as debt but no longer happens: strike it from DEBT',
  ]);
});
