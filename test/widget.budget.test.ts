// The widget's and the console SDK's size budgets, checked on the build `npm test` makes first (scripts/build-web.ts):
// what a customer's page downloads before the launcher shows (the loader), and everything the chat
// panel loads (its page, scripts and styles, lazily loaded parts included), gzipped as served.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { WEB_DIST } from '../src/modules/web/index.ts';

/** Bytes after gzip: the loader on every page of the customer's site, and the panel. */
const WIDGET_BUDGET = { loader: 3 * 1024, panel: 48 * 1024 };

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

test(`the widget loader is at most ${WIDGET_BUDGET.loader} bytes gzipped, the panel at most ${WIDGET_BUDGET.panel}`, () => {
  const loader = gz(`${WEB_DIST}/widget/loader.js`);
  // The mobile WebView page's own entry is not part of the panel customers' pages load.
  const assets = readdirSync(`${WEB_DIST}/widget/assets`).filter((f) => !f.endsWith('.map') && !f.startsWith('webview-'));
  assert.ok(assets.some((f) => f.endsWith('.js')), 'the panel has its script');
  const panel = gz(`${WEB_DIST}/widget/frame.html`) + assets.reduce((sum, f) => sum + gz(`${WEB_DIST}/widget/assets/${f}`), 0);
  process.stdout.write(`# widget: loader ${loader} B, panel ${panel} B (gzip)\n`);
  assert.ok(loader <= WIDGET_BUDGET.loader, `loader.js is ${loader} bytes gzipped; the budget is ${WIDGET_BUDGET.loader}`);
  assert.ok(panel <= WIDGET_BUDGET.panel, `the panel is ${panel} bytes gzipped; the budget is ${WIDGET_BUDGET.panel}`);
});

/** Bytes after gzip of the Agent Console SDK's script, which partners' pages load (the console itself is in its frame). */
const SDK_BUDGET = 3 * 1024;

test(`the Agent Console SDK is at most ${SDK_BUDGET} bytes gzipped, as a script and as a module`, () => {
  const script = gz(`${WEB_DIST}/sdk/agent-console.js`);
  const module = gz(`${WEB_DIST}/sdk/agent-console.mjs`);
  process.stdout.write(`# agent console SDK: script ${script} B, module ${module} B (gzip)\n`);
  assert.ok(script <= SDK_BUDGET, `agent-console.js is ${script} bytes gzipped; the budget is ${SDK_BUDGET}`);
  assert.ok(module <= SDK_BUDGET, `agent-console.mjs is ${module} bytes gzipped; the budget is ${SDK_BUDGET}`);
});
