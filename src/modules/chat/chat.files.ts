// Files sent in chats. A file is stored in the database (every node serves it, a backup holds it)
// under a 128-bit random key; its address is that key, so the message that carries it works as a
// link that does not expire, like a signed link. Pictures of the common safe types are shown
// inline; every other file is served for download only, and nothing is ever served as HTML or SVG.
// A deleted message takes its file with it; a closed site's files are not served.
import { createHash, randomBytes } from 'node:crypto';
import type { SiteContext } from '../../platform/context.ts';
import type { Chat } from '../../platform/db/schema.ts';
import { BadRequest, Conflict, Forbidden, InvalidState, NotFound } from '../../platform/errors.ts';
import { siteIsOpen } from '../tenancy/index.ts';
import type { ChatCore } from './chat.core.ts';
import type { MessageView } from './chat.presenter.ts';

/** Picture types shown inline, each recognised by its first bytes (the declared type must agree). */
const PICTURES: Record<string, (b: Uint8Array) => boolean> = {
  'image/png': (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38,
  'image/webp': (b) => b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50,
};

/** A chat holds at most this many files, and this many bytes of them. */
const PER_CHAT = { files: 50, bytes: 100 * 1024 * 1024 };

/**
 * A file name without paths, control or format characters (a right-to-left override would make
 * `invoice<RLO>fdp.exe` look like `invoiceexe.pdf`), at most 200 characters.
 */
export function cleanFileName(raw: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const base = raw.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f"]|\p{Cf}/gu, '').trim();
  if (base === '' || base === '.' || base === '..') throw new BadRequest('The file needs a name.');
  return base.slice(0, 200);
}

export interface StoredFile {
  name: string;
  mimeType: string;
  size: number;
  data: Uint8Array;
  inline: boolean;
}

interface Deps {
  publicUrl: string;
  /** Refuses a caller who may not write in the chat (before any byte is stored). */
  mayWrite(ctx: SiteContext, chat: Chat): Promise<void>;
  send(ctx: SiteContext, chatId: number, input: { type: string; data: Record<string, unknown>; clientMessageId?: string | undefined }): Promise<{ message: MessageView; created: boolean }>;
}

/** File upload into a chat, and download by key. */
export function createChatFiles(core: ChatCore, { publicUrl, mayWrite, send }: Deps) {
  const { db } = core;
  return {
    /**
     * Stores a file and sends it as a message (`image` for pictures, else `file`) with its
     * address. The same client message id again returns the first message and stores nothing.
     */
    async upload(ctx: SiteContext, chatId: number, f: { name: string; declaredType: string; data: Uint8Array; clientMessageId?: string | undefined }): Promise<{ message: MessageView; created: boolean }> {
      if (ctx.actor.kind === 'site-client') throw new Forbidden('A partner client reads chats; it does not send files.');
      const chat = await core.visibleChat(ctx, chatId);
      if (chat.status === 'ended') throw new InvalidState(`Chat ${chatId} has ended.`);
      await mayWrite(ctx, chat);
      if (f.data.length === 0) throw new BadRequest('The file is empty.');
      const name = cleanFileName(f.name);
      const declared = f.declaredType.split(';')[0]!.trim().toLowerCase();
      const sniff = PICTURES[declared];
      if (sniff && !sniff(f.data)) throw new BadRequest(`The file is not a ${declared} picture.`);
      const picture = sniff !== undefined;
      const used = await db
        .selectFrom('attachments')
        .select((eb) => [eb.fn.countAll<number>().as('files'), eb.fn.sum<number>('size').as('bytes')])
        .where('site_id', '=', ctx.siteId)
        .where('chat_id', '=', chatId)
        .executeTakeFirstOrThrow();
      if (Number(used.files) >= PER_CHAT.files || Number(used.bytes ?? 0) + f.data.length > PER_CHAT.bytes) {
        throw new Conflict(`A chat holds at most ${PER_CHAT.files} files and ${PER_CHAT.bytes / 1024 / 1024} MiB.`, { reason: 'chat-files-full' });
      }
      const key = randomBytes(16).toString('base64url');
      const uploader = ctx.actor.kind === 'agent' ? { kind: 'agent' as const, id: ctx.actor.agentId } : { kind: 'visitor' as const, id: ctx.actor.visitorId };
      const row = await db
        .insertInto('attachments')
        .values({
          site_id: ctx.siteId,
          chat_id: chat.id,
          key,
          name,
          mime_type: picture ? declared : 'application/octet-stream',
          size: f.data.length,
          sha256: createHash('sha256').update(f.data).digest('hex'),
          data: f.data,
          uploaded_by_kind: uploader.kind,
          uploaded_by_id: uploader.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const data = { url: `${publicUrl}/files/${key}/${encodeURIComponent(name)}`, name, size: f.data.length, mimeType: picture ? declared : 'application/octet-stream' };
      try {
        const sent = await send(ctx, chatId, { type: picture ? 'image' : 'file', data, clientMessageId: f.clientMessageId });
        // A retry of an upload that was stored already: keep the first file only.
        if (!sent.created) await db.deleteFrom('attachments').where('site_id', '=', ctx.siteId).where('id', '=', row.id).execute();
        else await db.updateTable('attachments').set({ message_id: sent.message.id }).where('site_id', '=', ctx.siteId).where('id', '=', row.id).execute();
        return sent;
      } catch (err) {
        await db.deleteFrom('attachments').where('site_id', '=', ctx.siteId).where('id', '=', row.id).execute();
        throw err;
      }
    },

    /** A file by its key (the key is the capability, so no site is given), while its site is open. */
    async download(key: string): Promise<StoredFile> {
      const row = await db
        .selectFrom('attachments as a')
        .innerJoin('sites as s', 's.id', 'a.site_id')
        .select(['a.name', 'a.mime_type', 'a.size', 'a.data', 's.status', 's.if_active', 's.if_close'])
        .where('a.key', '=', key)
        .executeTakeFirst();
      if (!row || !siteIsOpen(row)) throw new NotFound('file');
      return { name: row.name, mimeType: row.mime_type, size: row.size, data: row.data, inline: row.mime_type in PICTURES };
    },
  };
}
