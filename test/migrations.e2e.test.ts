// Migrations bring a database that holds data to the latest schema without losing or detaching
// any of it (0002 rebuilds the chats table on SQLite).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createMigrator } from '../src/migrations/index.ts';
import type { DB } from '../src/modules/tables.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { freshDatabaseUrl } from './helpers/parley.ts';

test('0002 keeps the chats, messages and their links of a database made by 0001, and widens the chat status', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-migrate-'));
  const cleanups: (() => void | Promise<void>)[] = [() => fs.rmSync(dir, { recursive: true, force: true })];
  t.after(async () => {
    for (const c of cleanups.reverse()) await c();
  });
  const database = openDatabase<DB>(await freshDatabaseUrl(cleanups, dir));
  cleanups.push(() => database.close());
  const { db, dialect } = database;
  const migrator = await createMigrator(db, dialect);
  const first = await migrator.migrateTo('0001_tenancy');
  assert.equal(first.error, undefined);

  const partner = await db.insertInto('partners').values({ name: 'P', slug: 'p', contact_name: 'C', contact_email: 'c@x.io' }).returning('id').executeTakeFirstOrThrow();
  const site = await db.insertInto('sites').values({ partner_id: partner.id, company: 'Co' }).returning('id').executeTakeFirstOrThrow();
  const visitor = await db.insertInto('visitors').values({ site_id: site.id }).returning('id').executeTakeFirstOrThrow();
  const chat = await db
    .insertInto('chats')
    .values({ site_id: site.id, visitor_id: visitor.id, status: 'active', last_seq: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('messages')
    .values({ site_id: site.id, chat_id: chat.id, seq: 1, sender_kind: 'visitor', sender_id: visitor.id, type: 'message', body: '{"content":"kept"}' })
    .execute();

  const latest = await migrator.migrateToLatest();
  assert.equal(latest.error, undefined);
  assert.deepEqual(latest.results?.map((r) => [r.migrationName, r.status]), [['0002_operator', 'Success'], ['0003_token_sessions', 'Success'], ['0004_im', 'Success'], ['0005_partners', 'Success'], ['0006_sso', 'Success'], ['0007_console', 'Success'], ['0008_events', 'Success'], ['0009_control_panel', 'Success'], ['0010_embed_origins', 'Success'], ['0011_webview', 'Success'], ['0012_reports', 'Success']]);

  const after = await db.selectFrom('chats').selectAll().where('id', '=', chat.id).executeTakeFirstOrThrow();
  assert.deepEqual([after.status, after.last_seq, after.visitor_read_seq, after.agent_read_seq], ['active', 1, 0, 0]);
  const messages = await db.selectFrom('messages').select(['chat_id', 'body']).execute();
  assert.deepEqual(messages.map((m) => ({ ...m })), [{ chat_id: chat.id, body: '{"content":"kept"}' }]);

  // The new status is allowed, an unknown one still refused, one open chat per visitor still enforced.
  await db.updateTable('chats').set({ status: 'bot' }).where('id', '=', chat.id).execute();
  await assert.rejects(db.updateTable('chats').set({ status: 'lost' as 'bot' }).where('id', '=', chat.id).execute());
  await assert.rejects(db.insertInto('chats').values({ site_id: site.id, visitor_id: visitor.id, status: 'queued' }).execute());
  // Foreign keys still hold and still cascade from the rebuilt table.
  if (dialect === 'sqlite') assert.deepEqual((await sql`PRAGMA foreign_key_check`.execute(db)).rows, []);
  await db.deleteFrom('chats').where('id', '=', chat.id).execute();
  assert.deepEqual(await db.selectFrom('messages').select('id').execute(), []);
});
