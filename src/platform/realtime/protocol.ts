// Centrifugo's client protocol v2 in its JSON form: frames are newline-delimited JSON, one command
// (client → server) or reply/push (server → client) per line. Codes and messages are Centrifugo's
// own, because centrifuge-js decides from them whether to reconnect, resubscribe or give up.

import type { Publication } from './types.ts';

/** A reason to end a connection: sent as a disconnect push and as the WebSocket close code. */
export interface DisconnectReason {
  code: number;
  reason: string;
}

/** Centrifugo's disconnect codes: 3000–3499 make centrifuge-js reconnect, 3500–3999 make it stop for good. */
export const Disconnects = {
  connectionClosed: { code: 3000, reason: 'connection closed' },
  shutdown: { code: 3001, reason: 'shutdown' },
  serverError: { code: 3004, reason: 'internal server error' },
  expired: { code: 3005, reason: 'expired' },
  slow: { code: 3008, reason: 'slow' },
  insufficientState: { code: 3010, reason: 'insufficient state' },
  noPong: { code: 3012, reason: 'no pong' },
  tooManyRequests: { code: 3013, reason: 'too many requests' },
  invalidToken: { code: 3500, reason: 'invalid token' },
  badRequest: { code: 3501, reason: 'bad request' },
  stale: { code: 3502, reason: 'stale' },
  forceNoReconnect: { code: 3503, reason: 'force disconnect' },
  permissionDenied: { code: 3507, reason: 'permission denied' },
} as const satisfies Record<string, DisconnectReason>;

/** An error carried in a reply to one command; the connection stays open. */
export interface ReplyError {
  code: number;
  message: string;
  /** centrifuge-js retries temporary errors with backoff instead of giving up. */
  temporary?: boolean;
}

/** Centrifugo's reply error codes, as centrifuge-js interprets them. */
export const Errors = {
  internal: { code: 100, message: 'internal server error', temporary: true },
  permissionDenied: { code: 103, message: 'permission denied' },
  methodNotFound: { code: 104, message: 'method not found' },
  alreadySubscribed: { code: 105, message: 'already subscribed' },
  limitExceeded: { code: 106, message: 'limit exceeded' },
  badRequest: { code: 107, message: 'bad request' },
  notAvailable: { code: 108, message: 'not available' },
  tokenExpired: { code: 109, message: 'token expired' },
  unrecoverablePosition: { code: 112, message: 'unrecoverable position' },
} as const satisfies Record<string, ReplyError>;

const methods = [
  'connect',
  'subscribe',
  'unsubscribe',
  'publish',
  'presence',
  'presence_stats',
  'history',
  'send',
  'rpc',
  'refresh',
  'sub_refresh',
] as const;

export type Method = (typeof methods)[number];

/** One decoded client command. `method` is null for the empty command, which is a pong. */
export interface Command {
  id: number;
  method: Method | null;
  params: Record<string, unknown>;
}

/** The frame broke the protocol; the connection must be closed with 3501. */
export class ProtocolViolation extends Error {
  override name = 'ProtocolViolation';
}

function decodeCommand(line: string): Command {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new ProtocolViolation('malformed JSON');
  }
  if (!isObject(raw)) throw new ProtocolViolation('command is not an object');
  const id = raw.id ?? 0;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    throw new ProtocolViolation('bad command id');
  }
  const method = methods.find((m) => raw[m] !== undefined) ?? null;
  // Only `send` is fire-and-forget; any other command without an id could never be answered.
  if (method === null ? id !== 0 : id === 0 && method !== 'send') {
    throw new ProtocolViolation(method === null ? 'unknown command' : `${method} without id`);
  }
  const params = method === null ? {} : (raw[method] ?? {});
  if (!isObject(params)) throw new ProtocolViolation(`${method} params are not an object`);
  return { id, method, params };
}

/** Splits a frame into its non-empty lines, one command each; cheap enough to count commands before decoding them. */
export function frameLines(frame: string): string[] {
  return frame.split('\n').filter((line) => line.trim() !== '');
}

/** Decodes a frame's lines (from frameLines) in order; throws ProtocolViolation if any is not a command. */
export function decodeCommands(lines: readonly string[]): Command[] {
  if (lines.length === 0) throw new ProtocolViolation('empty frame');
  return lines.map(decodeCommand);
}

/** A JSON object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-empty string parameter, or null. */
export function stringParam(params: Record<string, unknown>, name: string): string | null {
  const v = params[name];
  return typeof v === 'string' && v !== '' ? v : null;
}

/** The connect token: `connect.token`, else `connect.data.settings.token` as the operator-panel spec sends it. */
export function connectToken(params: Record<string, unknown>): string | null {
  if (typeof params.token === 'string' && params.token !== '') return params.token;
  const data = params.data;
  const settings = isObject(data) ? data.settings : undefined;
  const token = isObject(settings) ? settings.token : undefined;
  return typeof token === 'string' && token !== '' ? token : null;
}

/** A successful reply to command `id`: `{"id":1,"subscribe":{…}}`. */
export function encodeReply(id: number, method: Method, result: Record<string, unknown>): string {
  return JSON.stringify({ id, [method]: result });
}

/** An error reply to command `id`. */
export function encodeError(id: number, error: ReplyError): string {
  return JSON.stringify({ id, error });
}

/** The server's ping; protocol v2 has the client answer with an empty command. */
export const pingFrame = '{}';

/** A disconnect push, sent before the socket is closed with the same code. */
export function encodeDisconnect(d: DisconnectReason): string {
  return JSON.stringify({ push: { disconnect: { code: d.code, reason: d.reason } } });
}

/**
 * A publication push; encoded once and shared by every subscriber of the channel. With the data's
 * JSON text at hand (pub.raw), the frame is put together around it: the same text as encoding the
 * whole object, without serialising the data a second time.
 */
export function encodePublication(pub: Publication): string {
  if (pub.raw !== undefined) return `{"push":{"channel":${JSON.stringify(pub.channel)},"pub":{"data":${pub.raw},"offset":${pub.offset}}}}`;
  return JSON.stringify({ push: { channel: pub.channel, pub: { data: pub.data, offset: pub.offset } } });
}

const maxCloseReasonBytes = 123;

/** Cuts a close reason to the 123 bytes a WebSocket close frame allows, on a character boundary. */
export function closeReason(reason: string): string {
  if (Buffer.byteLength(reason) <= maxCloseReasonBytes) return reason;
  let cut = '';
  for (const ch of reason) {
    if (Buffer.byteLength(cut + ch) > maxCloseReasonBytes) break;
    cut += ch;
  }
  return cut;
}
