// Files sent in chats (attachments). Every query takes the site id, except the download by key:
// the 128-bit key is the capability.
import type { Kysely } from 'kysely';
import type { ChatTables } from './chat.tables.ts';

type Db = Kysely<ChatTables>;

/** How many files a chat holds, and how many bytes of them. */
export async function filesOfChat(db: Db, siteId: number, chatId: number): Promise<{ files: number; bytes: number }> {
  const used = await db
    .selectFrom('attachments')
    .select((eb) => [eb.fn.countAll<number>().as('files'), eb.fn.sum<number>('size').as('bytes')])
    .where('site_id', '=', siteId)
    .where('chat_id', '=', chatId)
    .executeTakeFirstOrThrow();
  return { files: Number(used.files), bytes: Number(used.bytes ?? 0) };
}

export interface NewAttachment {
  siteId: number;
  chatId: number;
  key: string;
  name: string;
  mimeType: string;
  sha256: string;
  data: Uint8Array;
  uploadedBy: { kind: 'visitor' | 'agent'; id: number };
}

/** Stores a file (not yet tied to a message); returns its row id. */
export async function insertAttachment(db: Db, a: NewAttachment): Promise<number> {
  const row = await db
    .insertInto('attachments')
    .values({
      site_id: a.siteId,
      chat_id: a.chatId,
      key: a.key,
      name: a.name,
      mime_type: a.mimeType,
      size: a.data.length,
      sha256: a.sha256,
      data: a.data,
      uploaded_by_kind: a.uploadedBy.kind,
      uploaded_by_id: a.uploadedBy.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Ties a stored file to the message that carries it. */
export async function attachToMessage(db: Db, siteId: number, id: number, messageId: number): Promise<void> {
  await db.updateTable('attachments').set({ message_id: messageId }).where('site_id', '=', siteId).where('id', '=', id).execute();
}

/** Deletes a stored file. */
export async function deleteAttachment(db: Db, siteId: number, id: number): Promise<void> {
  await db.deleteFrom('attachments').where('site_id', '=', siteId).where('id', '=', id).execute();
}

/** Deletes the files a message carries (the message was deleted). */
export async function deleteAttachmentsOfMessage(db: Db, siteId: number, messageId: number): Promise<void> {
  await db.deleteFrom('attachments').where('site_id', '=', siteId).where('message_id', '=', messageId).execute();
}

/** A file by its key, with its site. */
export function findAttachmentByKey(db: Db, key: string) {
  return db.selectFrom('attachments').select(['site_id', 'name', 'mime_type', 'size', 'data']).where('key', '=', key).executeTakeFirst();
}
