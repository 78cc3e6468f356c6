// The read-only commands about a channel the client receives: presence, presence_stats, history.
// Each needs the connection to be subscribed to the channel, as Centrifugo requires by default.

import { type Command, Errors, encodeError, encodeReply, isObject, type ReplyError, stringParam } from './protocol.ts';
import { replyPublication } from './recovery.ts';
import type { Broker, Publication, RealtimeIdentity } from './types.ts';

/** What the queries need from the connection that received them. */
export interface QueryContext {
  broker: Broker;
  identity: RealtimeIdentity;
  historySize: number;
  /** Whether the connection receives the channel. */
  receives(channel: string): boolean;
  /** Whether this identity may read who is on the channel. */
  mayReadPresence(channel: string): boolean;
}

type Answer = { ok: Record<string, unknown> } | { error: ReplyError };

function channelOf(ctx: QueryContext, cmd: Command): string | ReplyError {
  const channel = stringParam(cmd.params, 'channel');
  if (channel === null) return Errors.badRequest;
  return ctx.receives(channel) ? channel : Errors.permissionDenied;
}

async function presence(ctx: QueryContext, cmd: Command): Promise<Answer> {
  const channel = channelOf(ctx, cmd);
  if (typeof channel !== 'string') return { error: channel };
  if (!ctx.mayReadPresence(channel)) return { error: Errors.permissionDenied };
  const entries = await ctx.broker.presence(channel);
  if (cmd.method === 'presence_stats') {
    return { ok: { num_clients: entries.length, num_users: new Set(entries.map((e) => e.user)).size } };
  }
  // fromEntries, not assignment: a client id is a UUID, but keep any key a plain key.
  const clients = entries.map((e) => [e.client, { client: e.client, user: e.user, ...(e.info ? { conn_info: e.info } : {}) }]);
  return { ok: { presence: Object.fromEntries(clients) } };
}

// Centrifugo's history: `limit` 0 (or none) gives only the stream's top, a negative one everything retained; `since`
// starts after a position of the current epoch; `reverse` gives the newest first.
async function history(ctx: QueryContext, cmd: Command): Promise<Answer> {
  const channel = channelOf(ctx, cmd);
  if (typeof channel !== 'string') return { error: channel };
  const { limit = 0, since, reverse = false } = cmd.params;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || typeof reverse !== 'boolean') {
    return { error: Errors.badRequest };
  }
  if (since !== undefined && !isObject(since)) return { error: Errors.badRequest };
  const { position, publications } = await ctx.broker.history(channel, { limit: Math.max(ctx.historySize, 1) });
  let pubs: Publication[] = publications;
  if (since !== undefined) {
    const offset = since.offset ?? 0;
    const epoch = since.epoch ?? '';
    if (typeof offset !== 'number' || typeof epoch !== 'string') return { error: Errors.badRequest };
    if ((epoch !== '' && epoch !== position.epoch) || offset > position.offset) return { error: Errors.unrecoverablePosition };
    pubs = reverse ? pubs.filter((p) => p.offset < offset) : pubs.filter((p) => p.offset > offset);
  }
  if (reverse) pubs = [...pubs].reverse();
  if (limit >= 0) pubs = pubs.slice(0, limit);
  return { ok: { publications: pubs.map(replyPublication), epoch: position.epoch, offset: position.offset } };
}

/** Answers a presence, presence_stats or history command with its reply line. */
export async function answerQuery(ctx: QueryContext, cmd: Command & { method: 'presence' | 'presence_stats' | 'history' }): Promise<string> {
  const answer = cmd.method === 'history' ? await history(ctx, cmd) : await presence(ctx, cmd);
  return 'ok' in answer ? encodeReply(cmd.id, cmd.method, answer.ok) : encodeError(cmd.id, answer.error);
}
