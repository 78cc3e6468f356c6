// Files sent in chats. A file is stored in the database (every node serves it, a backup holds it)
// under a 128-bit random key; its address is that key, so the message that carries it works as a
// link that does not expire, like a signed link. Pictures of the common safe types are shown
// inline; every other file is served for download only, and nothing is ever served as HTML or SVG.
// A deleted message takes its file with it; a closed site's files are not served.
import { createHash, randomBytes } from 'node:crypto';
import type { SiteContext } from '../../platform/context.ts';
import type { Chat } from './chat.tables.ts';
import { BadRequest, Conflict, Forbidden, InvalidState, NotFound, PayloadTooLarge } from '../../platform/errors.ts';
import type { FileSettingsStore } from './chat.files.settings.ts';
import type { ChatCore } from './chat.core.ts';
import * as repo from './chat.files.repository.ts';
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
  /** Who may send files in the site's chats, and how large. */
  fileSettings: FileSettingsStore;
  /** Refuses a caller who may not write in the chat (before any byte is stored). */
  mayWrite(ctx: SiteContext, chat: Chat): Promise<void>;
  send(ctx: SiteContext, chatId: number, input: { type: string; data: Record<string, unknown>; clientMessageId?: string | undefined }): Promise<{ message: MessageView; created: boolean }>;
}

/** File upload into a chat, and download by key. */
export function createChatFiles(core: ChatCore, { publicUrl, fileSettings, mayWrite, send }: Deps) {
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
      const limits = await fileSettings.get(ctx.siteId);
      if (!(ctx.actor.kind === 'agent' ? limits.agentFiles : limits.visitorFiles)) {
        throw new Forbidden(`This site does not let ${ctx.actor.kind === 'agent' ? 'agents' : 'visitors'} send files.`, { reason: 'files-off' });
      }
      if (f.data.length > limits.maxBytes) throw new PayloadTooLarge(`A file may be at most ${limits.maxBytes} bytes on this site.`);
      if (f.data.length === 0) throw new BadRequest('The file is empty.');
      const name = cleanFileName(f.name);
      const declared = f.declaredType.split(';')[0]!.trim().toLowerCase();
      const sniff = PICTURES[declared];
      if (sniff && !sniff(f.data)) throw new BadRequest(`The file is not a ${declared} picture.`);
      const picture = sniff !== undefined;
      const used = await repo.filesOfChat(db, ctx.siteId, chatId);
      if (used.files >= PER_CHAT.files || used.bytes + f.data.length > PER_CHAT.bytes) {
        throw new Conflict(`A chat holds at most ${PER_CHAT.files} files and ${PER_CHAT.bytes / 1024 / 1024} MiB.`, { reason: 'chat-files-full' });
      }
      const key = randomBytes(16).toString('base64url');
      const uploader = ctx.actor.kind === 'agent' ? { kind: 'agent' as const, id: ctx.actor.agentId } : { kind: 'visitor' as const, id: ctx.actor.visitorId };
      const id = await repo.insertAttachment(db, {
        siteId: ctx.siteId,
        chatId: chat.id,
        key,
        name,
        mimeType: picture ? declared : 'application/octet-stream',
        sha256: createHash('sha256').update(f.data).digest('hex'),
        data: f.data,
        uploadedBy: uploader,
      });
      const data = { url: `${publicUrl}/files/${key}/${encodeURIComponent(name)}`, name, size: f.data.length, mimeType: picture ? declared : 'application/octet-stream' };
      try {
        const sent = await send(ctx, chatId, { type: picture ? 'image' : 'file', data, clientMessageId: f.clientMessageId });
        // A retry of an upload that was stored already: keep the first file only.
        if (!sent.created) await repo.deleteAttachment(db, ctx.siteId, id);
        else await repo.attachToMessage(db, ctx.siteId, id, sent.message.id);
        return sent;
      } catch (err) {
        await repo.deleteAttachment(db, ctx.siteId, id);
        throw err;
      }
    },

    /** A file by its key (the key is the capability, so no site is given), while its site is open. */
    async download(key: string): Promise<StoredFile> {
      const row = await repo.findAttachmentByKey(db, key);
      if (!row || (await core.tenancy.siteState(row.site_id))?.open !== true) throw new NotFound('file');
      return { name: row.name, mimeType: row.mime_type, size: row.size, data: row.data, inline: row.mime_type in PICTURES };
    },
  };
}
