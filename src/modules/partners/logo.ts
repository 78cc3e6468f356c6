// A partner's logo (spec: t_Partner_Config.logo): raw bytes uploaded with a Content-Type, checked
// against their magic bytes, and kept as a content-addressed file. The file is later served on the
// partner's pages, so only raster formats that browsers never execute are accepted.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The accepted types and the file extension of each. No SVG: it is XML that can carry <script>,
 * event handlers and external references, and runs them when opened directly from our origin.
 */
export const LOGO_TYPES = Object.freeze({
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
} as const);

export type LogoType = keyof typeof LOGO_TYPES;
export type LogoExt = (typeof LOGO_TYPES)[LogoType];

/** The size limit until it becomes configurable (PARLEY_LOGO_MAX_BYTES, see docs/partner-theme.md). */
export const DEFAULT_LOGO_MAX_BYTES = 512 * 1024;

export type LogoCheck =
  | { ok: true; type: LogoType; ext: LogoExt }
  | { ok: false; reason: string; code: 'too-large' | 'unsupported-type' | 'type-mismatch' | 'empty' };

function startsWith(buf: Buffer, bytes: readonly number[] | string, offset = 0): boolean {
  const expected = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return buf.length >= offset + expected.length && buf.subarray(offset, offset + expected.length).equals(expected);
}

/** The image type the bytes are, by their magic numbers; undefined for anything else (SVG included). */
export function sniffImage(buf: Buffer): LogoType | undefined {
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(buf, 'GIF87a') || startsWith(buf, 'GIF89a')) return 'image/gif';
  // RIFF <size> WEBP, then the first chunk: VP8 (lossy), VP8L (lossless) or VP8X (extended).
  if (startsWith(buf, 'RIFF') && startsWith(buf, 'WEBPVP8', 8)) return 'image/webp';
  return undefined;
}

function isLogoType(type: string): type is LogoType {
  return Object.hasOwn(LOGO_TYPES, type);
}

/**
 * Checks an upload: not empty, at most `maxBytes`, declared as one of LOGO_TYPES (media-type
 * parameters such as `; charset` are ignored) and the bytes really being that type.
 */
export function checkLogo(buf: Buffer, declaredType: string | undefined, maxBytes: number): LogoCheck {
  if (buf.length === 0) return { ok: false, code: 'empty', reason: 'the logo is empty' };
  if (buf.length > maxBytes) return { ok: false, code: 'too-large', reason: `the logo is larger than ${maxBytes} bytes` };
  const declared = (declaredType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!isLogoType(declared)) {
    const svg = declared === 'image/svg+xml' ? ' (SVG is not accepted because it can carry scripts)' : '';
    return { ok: false, code: 'unsupported-type', reason: `a logo must be PNG, JPEG, WebP or GIF${svg}` };
  }
  const sniffed = sniffImage(buf);
  if (sniffed !== declared) {
    return { ok: false, code: 'type-mismatch', reason: `the file's content is not the declared ${declared}` };
  }
  return { ok: true, type: declared, ext: LOGO_TYPES[declared] };
}

const EXT_TYPES = new Map<string, LogoType>(Object.entries(LOGO_TYPES).map(([type, ext]) => [ext, type as LogoType]));
// The only names the store writes, so the only ones it will read: no separators, no dots but one.
const STORED_NAME = /^p[1-9][0-9]{0,15}-[0-9a-f]{32}\.(png|jpg|webp|gif)$/;

export interface LogoStore {
  /** Writes the logo (atomically) and returns its file name, `p{partnerId}-{sha256 prefix}.{ext}`. */
  save(partnerId: number, buf: Buffer, ext: string): Promise<string>;
  /** The logo of that name and its type; undefined when missing or when the name is not one `save` makes. */
  read(name: string): Promise<{ buf: Buffer; type: string } | undefined>;
  /** Deletes the logo; a missing file or a foreign name is a no-op. */
  remove(name: string): Promise<void>;
}

/** A logo store in `dir`, which is created on the first save. */
export function createLogoStore(dir: string): LogoStore {
  const root = path.resolve(dir);
  return {
    async save(partnerId, buf, ext) {
      // Programming errors, not user input: checkLogo has vetted the upload before this.
      if (!Number.isSafeInteger(partnerId) || partnerId < 1) throw new TypeError(`invalid partner id ${partnerId}`);
      const type = EXT_TYPES.get(ext);
      if (type === undefined || sniffImage(buf) !== type) throw new TypeError(`the bytes are not a .${ext} logo`);
      const name = `p${partnerId}-${createHash('sha256').update(buf).digest('hex').slice(0, 32)}.${ext}`;
      await mkdir(root, { recursive: true });
      // Same directory, so rename is atomic: a reader sees the whole old file or the whole new one.
      const temp = path.join(root, `.${name}.${randomUUID()}.tmp`);
      try {
        await writeFile(temp, buf, { flag: 'wx' });
        await rename(temp, path.join(root, name));
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
      return name;
    },

    async read(name) {
      const match = STORED_NAME.exec(name);
      if (!match) return undefined;
      try {
        return { buf: await readFile(path.join(root, name)), type: EXT_TYPES.get(match[1]!)! };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },

    async remove(name) {
      if (!STORED_NAME.test(name)) return;
      await rm(path.join(root, name), { force: true });
    },
  };
}
