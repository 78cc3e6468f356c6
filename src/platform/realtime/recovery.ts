// Centrifugo's stream recovery: a client that comes back names the last position it saw (offset
// and epoch); if the channel's history still holds everything after it, the subscribe reply carries
// exactly those publications (`recovered: true`), otherwise the client is told to reload its state.

import { isObject } from './protocol.ts';
import type { Publication, StreamPosition } from './types.ts';

/** What a subscribe command (or one entry of a connect command's `subs`) asks to recover from. */
export interface RecoveryRequest {
  offset: number;
  /** '' means "any epoch": the client never learned one. */
  epoch: string;
}

/** The recovery a client asks for, or null when it does not (or asks in a shape we cannot read). */
export function recoveryRequest(params: unknown): RecoveryRequest | null {
  if (!isObject(params) || params.recover !== true) return null;
  const offset = params.offset ?? 0;
  const epoch = params.epoch ?? '';
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || typeof epoch !== 'string') return null;
  return { offset, epoch };
}

/** Whether `publications` are exactly everything after the requested position up to `top`. */
export function isRecovered(top: StreamPosition, asked: RecoveryRequest, publications: readonly Publication[]): boolean {
  if (asked.epoch !== '' && asked.epoch !== top.epoch) return false;
  if (asked.offset > top.offset) return false;
  if (publications.length !== top.offset - asked.offset) return false;
  return publications.every((p, i) => p.offset === asked.offset + 1 + i && p.epoch === top.epoch);
}

/** A publication as it travels inside a reply (history, recovery): Centrifugo's Publication. */
export function replyPublication(pub: Publication): Record<string, unknown> {
  return { data: pub.data, offset: pub.offset };
}

/**
 * The per-channel part of a connect reply's `subs` and the whole of a subscribe reply. After a
 * recovery the offset is the position recovered from: each publication the client then handles
 * moves it, so a client never holds a position ahead of what it has seen.
 */
export function subscribeResult(
  top: StreamPosition,
  asked: RecoveryRequest | null,
  publications: readonly Publication[],
  recoverable: boolean,
): Record<string, unknown> {
  const result: Record<string, unknown> = { recoverable, positioned: recoverable, epoch: top.epoch, offset: top.offset };
  if (asked === null || !recoverable) return result;
  result.was_recovering = true;
  if (!isRecovered(top, asked, publications)) {
    result.recovered = false;
    return result;
  }
  result.recovered = true;
  result.offset = asked.offset;
  if (publications.length > 0) result.publications = publications.map(replyPublication);
  return result;
}
