// How the Redis broker stores streams and presence: the key layout, the Lua scripts, and the typed
// calls that run them. Redis runs one script at a time, so each call is atomic: a publication's offset,
// its history entry and its fan-out happen together, and every subscriber sees a channel's
// publications in offset order.
//
// Keys, for a prefix P and a channel C (C may contain ':', so names are parsed by prefix only):
//   P:meta:C       hash {offset, epoch}, expires metaTtlSeconds after its last use
//   P:history:C    list of publication records, oldest first, expires ttlSeconds after the last publish
//   P:presence:C   hash client → entry JSON;  P:presence-expiry:C  zset client → expiry (ms, Redis clock)
//   P:pub:C        pub/sub channel of C's publications;  P:control  pub/sub channel of disconnect orders

import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { newEpoch } from './memory-broker.ts';
import type {
  HistoryOptions, HistoryQuery, HistoryResult, PresenceEntry, Publication, StreamPosition,
} from './types.ts';

/** A Lua script known by its SHA1, as EVALSHA wants it. */
interface LuaScript {
  readonly lua: string;
  readonly sha: string;
}

function script(lua: string): LuaScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

// KEYS[1] = meta hash (offset, epoch), KEYS[2] = history list. A stream without meta (never used,
// or expired) starts over under the epoch the caller proposed, with no history: the history of an
// older epoch must never be served under a new one.
const openStream = `
local function openStream(meta, history, proposedEpoch)
  local epoch = redis.call('HGET', meta, 'epoch')
  if not epoch then
    epoch = proposedEpoch
    redis.call('HSET', meta, 'epoch', epoch, 'offset', 0)
    redis.call('DEL', history)
  end
  return epoch
end
`;

// Milliseconds from Redis' own clock, so that the clocks of the nodes do not matter.
const redisNow = `
local function redisNow()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/**
 * KEYS: meta, history. ARGV: pub/sub channel, data (JSON), proposed epoch, history size, history TTL,
 * meta TTL. Returns {offset, epoch}. The record is built by concatenation so the data's JSON is
 * passed through untouched (cjson would re-encode numbers).
 */
// KEYS[3], when given, is the publication's idempotency key: a publish repeated with it (a relay
// retrying after a crash) returns the first one's position and publishes nothing.
const publishScript = script(`${openStream}
if KEYS[3] then
  local seen = redis.call('GET', KEYS[3])
  if seen then
    local at = cjson.decode(seen)
    return {at[1], at[2]}
  end
end
local epoch = openStream(KEYS[1], KEYS[2], ARGV[3])
local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
local record = '{"offset":' .. string.format('%d', offset) .. ',"epoch":"' .. epoch .. '","data":' .. ARGV[2] .. '}'
local size = tonumber(ARGV[4])
if size > 0 then
  redis.call('RPUSH', KEYS[2], record)
  redis.call('LTRIM', KEYS[2], -size, -1)
  redis.call('EXPIRE', KEYS[2], ARGV[5])
end
redis.call('EXPIRE', KEYS[1], ARGV[6])
if KEYS[3] then
  redis.call('SET', KEYS[3], cjson.encode({offset, epoch}), 'EX', ARGV[7])
end
redis.call('PUBLISH', ARGV[1], record)
return {offset, epoch}
`);

/** KEYS: meta, history. ARGV: proposed epoch, meta TTL. Returns {offset, epoch}. */
const positionScript = script(`${openStream}
local epoch = openStream(KEYS[1], KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return {tonumber(redis.call('HGET', KEYS[1], 'offset')), epoch}
`);

/**
 * KEYS: meta, history. ARGV: proposed epoch, meta TTL, limit, sinceOffset ('' for the newest ones).
 * Returns {offset, epoch, records oldest first}. The list holds contiguous offsets ending at the
 * stream's offset (one entry per publish, trimmed from the oldest end, dropped whole on expiry or
 * with its epoch), so an offset maps to an index without reading the entries.
 */
const historyScript = script(`${openStream}
local epoch = openStream(KEYS[1], KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
local top = tonumber(redis.call('HGET', KEYS[1], 'offset'))
local limit = tonumber(ARGV[3])
local records = {}
if limit > 0 then
  local held = redis.call('LLEN', KEYS[2])
  local first
  if ARGV[4] == '' then
    first = math.max(0, held - limit)
  else
    first = math.max(0, tonumber(ARGV[4]) - (top - held))
  end
  if first < held then records = redis.call('LRANGE', KEYS[2], first, first + limit - 1) end
end
return {top, epoch, records}
`);

// Keys live as long as their longest-lived member; a shorter TTL from another node must not cut it.
const extendTtl = `
local function extendTtl(key, ms)
  if redis.call('PTTL', key) < ms then redis.call('PEXPIRE', key, ms) end
end
`;

/** KEYS: presence hash (client → entry), expiry zset (client → ms). ARGV: client, entry JSON, TTL seconds. */
const addPresenceScript = script(`${redisNow}${extendTtl}
local ttlMs = tonumber(ARGV[3]) * 1000
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], redisNow() + ttlMs, ARGV[1])
extendTtl(KEYS[1], ttlMs)
extendTtl(KEYS[2], ttlMs)
return 1
`);

/** KEYS: presence hash, expiry zset. ARGV: client. */
const removePresenceScript = script(`
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`);

/** KEYS: presence hash, expiry zset. Drops the members past their expiry; returns the live entries' JSON. */
const presenceScript = script(`${redisNow}
local now = redisNow()
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
-- unpack() has a stack limit: delete in chunks.
for i = 1, #expired, 500 do
  redis.call('HDEL', KEYS[1], unpack(expired, i, math.min(i + 499, #expired)))
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
return redis.call('HVALS', KEYS[1])
`);

const allScripts = [
  publishScript, positionScript, historyScript, addPresenceScript, removePresenceScript, presenceScript,
];

/** The pub/sub channel names of a deployment (`prefix`). */
export function pubSubNames(prefix: string): { control: string; pubPrefix: string } {
  return { control: `${prefix}:control`, pubPrefix: `${prefix}:pub:` };
}

/** JSON of a value, or a TypeError for what JSON cannot encode (BigInt, cycles, undefined, functions). */
export function encodeJson(value: unknown, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new TypeError(`${what} cannot be encoded as JSON`, { cause: err });
  }
  if (json === undefined) throw new TypeError(`${what} cannot be encoded as JSON`);
  return json;
}

/** Decodes a record as the publish script writes it (history entry and pub/sub message alike). */
export function decodePublication(channel: string, record: string): Publication {
  const { offset, epoch, data } = JSON.parse(record) as Omit<Publication, 'channel'>;
  return { channel, offset, epoch, data };
}

/** How long a publish's idempotency key is remembered (as long as a relay may take to retry). */
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** Streams and presence as stored in Redis; each call is one script on the commands connection. */
export class RedisStore {
  /** Presence entries this node added and has not removed (channel → client → entry JSON). */
  private readonly heldPresence = new Map<string, Map<string, string>>();
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly history: HistoryOptions;
  private readonly presenceTtlSeconds: number;

  constructor(redis: Redis, prefix: string, history: HistoryOptions, presenceTtlSeconds: number) {
    this.redis = redis;
    this.prefix = prefix;
    this.history = history;
    this.presenceTtlSeconds = presenceTtlSeconds;
  }

  /** Loads every script, so that EVALSHA finds them and calls reach Redis in the order they are made. */
  async loadScripts(): Promise<void> {
    await Promise.all(allScripts.map((s) => this.redis.script('LOAD', s.lua)));
  }

  /** Appends the data to the channel's stream and publishes it; throws before any call for data JSON cannot encode. */
  async publish(channel: string, data: unknown, idempotencyKey?: string): Promise<StreamPosition> {
    const json = encodeJson(data, `publication data on ${channel}`);
    const { size, ttlSeconds, metaTtlSeconds } = this.history;
    const pubChannel = `${pubSubNames(this.prefix).pubPrefix}${channel}`;
    const args = [pubChannel, json, newEpoch(), size, ttlSeconds, metaTtlSeconds, IDEMPOTENCY_TTL_SECONDS];
    const keys = this.streamKeys(channel);
    if (idempotencyKey !== undefined) keys.push(`${this.prefix}:idem:${channel}:${idempotencyKey}`);
    const [offset, epoch] = (await this.run(publishScript, keys, args)) as [number, string];
    return { offset, epoch };
  }

  /** The channel's position, starting the stream (offset 0, new epoch) if it has no meta. */
  async position(channel: string): Promise<StreamPosition> {
    const args = [newEpoch(), this.history.metaTtlSeconds];
    const [offset, epoch] = (await this.run(positionScript, this.streamKeys(channel), args)) as [number, string];
    return { offset, epoch };
  }

  /** The position and the retained publications asked for, oldest first. */
  async readHistory(channel: string, q: HistoryQuery): Promise<HistoryResult> {
    const args = [newEpoch(), this.history.metaTtlSeconds, q.limit, q.sinceOffset ?? ''];
    const reply = (await this.run(historyScript, this.streamKeys(channel), args)) as [number, string, string[]];
    const [offset, epoch, records] = reply;
    return { position: { offset, epoch }, publications: records.map((r) => decodePublication(channel, r)) };
  }

  /** Adds or replaces a client's entry for presenceTtlSeconds; refreshPresence() keeps it until removed. */
  async addPresence(channel: string, entry: PresenceEntry): Promise<void> {
    const json = encodeJson(entry, `presence entry on ${channel}`);
    // Held before the call: a removal made meanwhile forgets it, and its HDEL follows this HSET.
    let clients = this.heldPresence.get(channel);
    if (clients === undefined) {
      clients = new Map();
      this.heldPresence.set(channel, clients);
    }
    clients.set(entry.client, json);
    await this.writePresence(channel, entry.client, json);
  }

  /** Removes a client's entry, and stops refreshing it. */
  async removePresence(channel: string, client: string): Promise<void> {
    const clients = this.heldPresence.get(channel);
    clients?.delete(client);
    if (clients?.size === 0) this.heldPresence.delete(channel);
    await this.run(removePresenceScript, this.presenceKeys(channel), [client]);
  }

  /** Adds again every entry held (also those whose add failed while Redis was away); returns the errors. */
  async refreshPresence(): Promise<unknown[]> {
    const writes = [...this.heldPresence].flatMap(([channel, clients]) =>
      [...clients].map(([client, json]) => this.writePresence(channel, client, json)),
    );
    const results = await Promise.allSettled(writes);
    return results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  }

  /** Removes every entry held, as a node leaving does. */
  async removeHeldPresence(): Promise<void> {
    const removals = [...this.heldPresence].flatMap(([channel, clients]) =>
      [...clients.keys()].map((client) => this.removePresence(channel, client)),
    );
    await Promise.allSettled(removals);
  }

  /** The live entries of the channel, dropping the expired ones. */
  async presence(channel: string): Promise<PresenceEntry[]> {
    const reply = (await this.run(presenceScript, this.presenceKeys(channel), [])) as string[];
    return reply.map((json) => JSON.parse(json) as PresenceEntry);
  }

  private async writePresence(channel: string, client: string, json: string): Promise<void> {
    await this.run(addPresenceScript, this.presenceKeys(channel), [client, json, this.presenceTtlSeconds]);
  }

  private streamKeys(channel: string): string[] {
    return [`${this.prefix}:meta:${channel}`, `${this.prefix}:history:${channel}`];
  }

  private presenceKeys(channel: string): string[] {
    return [`${this.prefix}:presence:${channel}`, `${this.prefix}:presence-expiry:${channel}`];
  }

  // By SHA; by source when Redis lost the script (a restart, SCRIPT FLUSH), which caches it again.
  private async run(s: LuaScript, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(s.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return this.redis.eval(s.lua, keys.length, ...keys, ...args);
    }
  }
}
