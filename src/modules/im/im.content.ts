// The message and event types of the IM API (spec: POST /im/messages), checked per type. Text and
// rich messages may carry HTML: it is sanitized to a small safe subset before it is stored, so
// every console and app can render it as it is.
import { sanitizeRichText } from '../../platform/text/rich-text.ts';
import { BadRequest } from '../../platform/errors.ts';

/** Message types a customer sends. */
export const messageTypes = ['message', 'image', 'audio', 'video', 'file', 'rich', 'struct'] as const;
/** Events a customer sends: closing the session, and filling in a form (pre-chat `info`, or `form_received`). */
export const customerEvents = ['close', 'info', 'form_received'] as const;
/** Events only agents and Parley itself produce; a customer sending one is refused. */
export const agentEvents = ['start_session', 'transfer', 'survey', 'is_info_transfer', 'active_guest', 'info_appoint', 'form', 'robot_transfer'] as const;

export type CustomerType = (typeof messageTypes)[number] | (typeof customerEvents)[number];

const MAX_TEXT = 10_000;
const MAX_URL = 2_000;

type Data = Record<string, unknown>;

function fail(type: string, why: string): never {
  throw new BadRequest(`data of a ${type} message: ${why}`);
}

function text(type: string, d: Data, key: string, opts: { required?: boolean; max?: number } = {}): string | undefined {
  const v = d[key];
  if (v === undefined || v === null) {
    if (opts.required) fail(type, `${key} is required`);
    return undefined;
  }
  if (typeof v !== 'string') fail(type, `${key} must be a string`);
  if (opts.required && v.trim() === '') fail(type, `${key} must not be blank`);
  if (v.length > (opts.max ?? MAX_TEXT)) fail(type, `${key} is longer than ${opts.max ?? MAX_TEXT} characters`);
  return v;
}

function url(type: string, d: Data, key: string, required: boolean): string | undefined {
  const v = text(type, d, key, { required, max: MAX_URL });
  if (v === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    fail(type, `${key} must be an absolute http(s) URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') fail(type, `${key} must be an http(s) URL`);
  return v;
}

function onlyKeys(type: string, d: Data, keys: string[]): void {
  const extra = Object.keys(d).filter((k) => !keys.includes(k));
  if (extra.length > 0) fail(type, `${extra.join(', ')} ${extra.length > 1 ? 'are' : 'is'} not allowed`);
}

function media(type: string, d: Data, withDuration: boolean): Data {
  onlyKeys(type, d, ['content', 'filename', 'filesize', ...(withDuration ? ['duration'] : [])]);
  const out: Data = { content: url(type, d, 'content', true) };
  const filename = text(type, d, 'filename', { max: 255 });
  if (filename !== undefined) out.filename = filename;
  const size = d.filesize;
  if (size !== undefined) {
    if (typeof size !== 'string' && typeof size !== 'number') fail(type, 'filesize must be a string such as "4.3M" or a number of bytes');
    out.filesize = size;
  }
  if (withDuration && d.duration !== undefined) {
    if (typeof d.duration !== 'number' || !Number.isFinite(d.duration) || d.duration < 0) fail(type, 'duration must be a number of seconds');
    out.duration = d.duration;
  }
  return out;
}

function form(type: string, d: Data): Data {
  onlyKeys(type, d, ['fields']);
  const fields = d.fields;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) fail(type, 'fields must be an object of name → value');
  const entries = Object.entries(fields as Data);
  if (entries.length > 50) fail(type, 'at most 50 fields');
  for (const [k, v] of entries) {
    if (k.length > 100) fail(type, 'field names are at most 100 characters');
    if (!(typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null)) fail(type, `field ${k} must be a string, number, boolean or null`);
    if (typeof v === 'string' && v.length > 2000) fail(type, `field ${k} is longer than 2000 characters`);
  }
  return { fields };
}

function struct(d: Data): Data {
  const type = 'struct';
  onlyKeys(type, d, ['title', 'description', 'image', 'url', 'buttons']);
  const out: Data = { title: text(type, d, 'title', { required: true, max: 500 }) };
  const description = text(type, d, 'description', { max: 2000 });
  if (description !== undefined) out.description = description;
  const image = url(type, d, 'image', false);
  if (image !== undefined) out.image = image;
  const link = url(type, d, 'url', false);
  if (link !== undefined) out.url = link;
  if (d.buttons !== undefined) {
    if (!Array.isArray(d.buttons) || d.buttons.length > 10) fail(type, 'buttons must be a list of at most 10');
    out.buttons = d.buttons.map((b, i) => {
      if (typeof b !== 'object' || b === null) fail(type, `buttons[${i}] must be an object with text and url`);
      const button = b as Data;
      onlyKeys(type, button, ['text', 'url']);
      return { text: text(type, button, 'text', { required: true, max: 100 }), url: url(type, button, 'url', true) };
    });
  }
  return out;
}

/**
 * Checks a customer's message or event against its type and returns the data to store (rich text
 * sanitized). Throws BadRequest naming what is wrong.
 */
export function customerContent(type: string, data: unknown): { type: CustomerType; data: Data } {
  if ((agentEvents as readonly string[]).includes(type)) throw new BadRequest(`${type} is an agent-side event; customers cannot send it.`);
  if (!([...messageTypes, ...customerEvents] as readonly string[]).includes(type)) {
    throw new BadRequest(`Unknown message type ${type}; use one of ${[...messageTypes, ...customerEvents].join(', ')}.`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail(type, 'data must be an object');
  const d = data as Data;
  const t = type as CustomerType;
  switch (t) {
    case 'message': {
      onlyKeys(t, d, ['content', 'font']);
      const content = sanitizeRichText(text(t, d, 'content', { required: true })!);
      if (content.trim() === '') fail(t, 'content is empty once unsafe HTML is removed');
      const font = text(t, d, 'font', { max: 200 });
      return { type: t, data: font === undefined ? { content } : { font, content } };
    }
    case 'rich': {
      onlyKeys(t, d, ['content']);
      const content = sanitizeRichText(text(t, d, 'content', { required: true })!);
      if (content.trim() === '') fail(t, 'content is empty once unsafe HTML is removed');
      return { type: t, data: { content } };
    }
    case 'image':
      onlyKeys(t, d, ['content']);
      return { type: t, data: { content: url(t, d, 'content', true) } };
    case 'audio':
    case 'video':
      return { type: t, data: media(t, d, true) };
    case 'file':
      return { type: t, data: media(t, d, false) };
    case 'struct':
      return { type: t, data: struct(d) };
    case 'close':
      onlyKeys(t, d, []);
      return { type: t, data: {} };
    case 'info':
    case 'form_received':
      return { type: t, data: form(t, d) };
  }
}
