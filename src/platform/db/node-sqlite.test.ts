// The node:sqlite adapter reuses prepared statements: reuse must never mix up results.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openSqlite } from './node-sqlite.ts';

test('a reused statement answers each call with its own parameters, and an open iterator keeps its own', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sqlite-'));
  const db = openSqlite(path.join(dir, 'x.db'));
  t.after(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  db.prepare('create table t (n integer)').run([]);
  for (const n of [1, 2, 3, 4]) db.prepare('insert into t (n) values (?)').run([n]);
  const select = 'select n from t where n >= ? order by n';
  const iterator = db.prepare(select).iterate([2]);
  assert.deepEqual((iterator.next().value as { n: number }).n, 2);
  // The same SQL again while the iterator is open: a reused statement must not reset it.
  assert.deepEqual(db.prepare(select).all([4]).map((r) => (r as { n: number }).n), [4]);
  assert.deepEqual([...iterator].map((r) => (r as { n: number }).n), [3, 4]);
  assert.deepEqual(db.prepare(select).all([3]).map((r) => (r as { n: number }).n), [3, 4]);
  assert.equal(db.prepare(select).reader, true);
  assert.equal(db.prepare('insert into t (n) values (?)').reader, false);
});
