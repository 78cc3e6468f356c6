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

test('a tree that goes around a door, imports in a cycle, lifts platform above a module or uses a foreign table fails', (t) => {
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-rules-'));
  t.after(() => fs.rmSync(src, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'modules/alpha/index.ts': "export { alpha } from './alpha.service.ts';\n",
    'modules/alpha/alpha.service.ts':
      "import { beta } from '../beta/index.ts';\nexport const alpha = (q) => q.selectFrom('chats').where('x', '=', beta);\nexport const own = (q) => q.insertInto('events');\n",
    'modules/beta/index.ts': "export { beta } from './beta.service.ts';\n",
    'modules/beta/beta.service.ts': "import { alpha } from '../alpha/alpha.service.ts';\nexport const beta = alpha;\n",
    // Listed as debt: allowed until it goes.
    'modules/gamma/index.ts': "export const gamma = (q) => q.selectFrom('agents as a').selectAll();\n",
    'modules/events.ts': "export type { AlphaEvent } from './alpha/index.ts';\n",
    'platform/helper.ts': "import { alpha } from '../modules/alpha/index.ts';\nexport const helper = alpha;\n",
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
    fs.writeFileSync(path.join(src, file), text);
  }
  const found = checkModules(src, new Set(['gamma:agents', 'beta:sites'])).map((v) => `${v.rule} ${v.file}: ${v.detail}`);
  assert.deepEqual(found.sort(), [
    'cycle modules/alpha: alpha → beta → alpha',
    `door ${path.join('modules', 'beta', 'beta.service.ts')}: imports ${path.join('modules', 'alpha', 'alpha.service.ts')} instead of modules/alpha/index.ts`,
    `layer ${path.join('platform', 'helper.ts')}: platform imports ${path.join('modules', 'alpha', 'index.ts')}`,
    `table ${path.join('modules', 'alpha', 'alpha.service.ts')}: uses chats, which chat owns`,
    `table ${path.join('modules', 'alpha', 'alpha.service.ts')}: uses events, which platform/events owns`,
    'table modules/beta: beta:sites is listed as debt but no longer happens: strike it from TABLE_DEBT',
  ]);
});
