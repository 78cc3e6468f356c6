// The multi-node broker: offsets, epochs, history and presence live in Redis (see redis-scripts.ts
// for the keys), and publications and disconnect orders reach every node through Redis pub/sub, so
// any number of Parley processes sharing one Redis behave like one node and a client may reconnect
// to any of them and recover. Two connections: commands, and a subscriber that only listens.

import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { Listeners } from './listeners.ts';
import { decodePublication, encodeJson, pubSubNames, RedisStore } from './redis-scripts.ts';
import type {
  Broker, DisconnectOrder, HistoryOptions, HistoryQuery, HistoryResult, PresenceEntry, Publication, RealtimeLogger,
  PublishOptions, StreamPosition,
} from './types.ts';

/** Options of the Redis broker. */
export interface RedisBrokerOptions {
  /** e.g. `redis://user:secret@redis:6379/0`. */
  url: string;
  /** Namespace of every key and pub/sub channel; nodes of one deployment share it. `parley` by default. */
  prefix?: string;
  history: HistoryOptions;
  /** Seconds a node's presence entries outlive it if it dies without removing them; 60 by default. */
  presenceTtlSeconds?: number;
  logger: RealtimeLogger;
  /** Called when a listener throws; by default the error is logged. */
  onListenerError?: (err: unknown) => void;
}

// How long startup may wait for Redis before giving up, and close() for a clean goodbye.
const startupTimeoutMs = 5000;
const closeTimeoutMs = 2000;

// Fail calls after a few reconnect attempts (about a second) instead of queueing them for ever,
// while the connections themselves keep reconnecting in the background.
const connectionOptions: RedisOptions = {
  lazyConnect: true,
  connectTimeout: 3000,
  maxRetriesPerRequest: 2,
  retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
};

/** Broker for many nodes sharing one Redis. */
export class RedisBroker implements Broker {
  /** Names this node's Redis connections `<nodeId>:cmd` and `<nodeId>:sub` (see CLIENT LIST). */
  readonly nodeId: string;
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly store: RedisStore;
  private readonly names: { control: string; pubPrefix: string };
  private readonly logger: RealtimeLogger;
  /** Channels this node subscribed to: how many subscribe() calls hold each, and when Redis acknowledged. */
  private readonly channels = new Map<string, { count: number; ready: Promise<void> }>();
  private readonly listeners: Listeners<Publication>;
  private readonly disconnectListeners: Listeners<DisconnectOrder>;
  private readonly resetListeners: Listeners<void>;
  private readonly refresher: NodeJS.Timeout;
  private refreshing = false;
  private closed = false;

  /** Connects to Redis and listens for disconnect orders; rejects if Redis cannot be reached in a few seconds. */
  static async connect(opts: RedisBrokerOptions): Promise<RedisBroker> {
    const nodeId = `parley-${randomBytes(4).toString('hex')}`;
    const cmd = new Redis(opts.url, { ...connectionOptions, connectionName: `${nodeId}:cmd` });
    // Resubscribing is ours to do (see resubscribe), so that resets are told only once it is done.
    const sub = new Redis(opts.url, { ...connectionOptions, connectionName: `${nodeId}:sub`, autoResubscribe: false });
    let lastError: Error | undefined; // says more than ioredis' 'Connection is closed'
    for (const [conn, role] of [[cmd, 'commands'], [sub, 'subscriber']] as const) {
      // Without a listener an 'error' event would crash the process; ioredis reconnects by itself.
      conn.on('error', (err: Error) => {
        lastError = err;
        opts.logger.warn({ err, role }, 'realtime: Redis connection error');
      });
    }
    let broker: RedisBroker | undefined;
    try {
      await deadline(Promise.all([cmd.connect(), sub.connect()]), startupTimeoutMs);
      broker = new RedisBroker(nodeId, cmd, sub, opts);
      await deadline(broker.store.loadScripts(), startupTimeoutMs);
      await deadline(sub.subscribe(broker.names.control), startupTimeoutMs);
      return broker;
    } catch (err) {
      broker?.abandon();
      cmd.disconnect();
      sub.disconnect();
      const reason = (lastError ?? (err instanceof Error ? err : new Error(String(err)))).message;
      throw new Error(`realtime: cannot reach Redis at ${redactUrl(opts.url)}: ${reason}`, { cause: err });
    }
  }

  private constructor(nodeId: string, cmd: Redis, sub: Redis, opts: RedisBrokerOptions) {
    this.nodeId = nodeId;
    this.cmd = cmd;
    this.sub = sub;
    const prefix = opts.prefix ?? 'parley';
    const presenceTtlSeconds = opts.presenceTtlSeconds ?? 60;
    this.store = new RedisStore(cmd, prefix, opts.history, presenceTtlSeconds);
    this.names = pubSubNames(prefix);
    this.logger = opts.logger;
    const onListenerError = opts.onListenerError ?? ((err: unknown) => this.logger.error({ err }, 'realtime: broker listener failed'));
    this.listeners = new Listeners(onListenerError);
    this.disconnectListeners = new Listeners(onListenerError);
    this.resetListeners = new Listeners(onListenerError);
    sub.on('message', (redisChannel: string, message: string) => this.receive(redisChannel, message));
    // Once a connection is back: the subscriber resubscribes (and tells of a reset); the commands
    // connection re-adds presence at once, in case Redis restarted empty.
    const comebacks = [
      [cmd, 'commands', () => this.refreshPresence()],
      [sub, 'subscriber', () => this.resubscribe()],
    ] as const;
    for (const [conn, role, comeback] of comebacks) {
      let lost = false;
      conn.on('close', () => {
        if (lost || this.closed) return;
        lost = true;
        this.logger.warn({ node: this.nodeId, role }, 'realtime: Redis connection lost');
      });
      conn.on('ready', () => {
        if (!lost || this.closed) return;
        lost = false;
        void comeback();
      });
    }
    this.refresher = setInterval(() => void this.refreshPresence(), (presenceTtlSeconds * 1000) / 3);
    this.refresher.unref();
  }

  /** Ready when both connections are up and Redis answers a ping. */
  async ready(): Promise<boolean> {
    if (this.cmd.status !== 'ready' || this.sub.status !== 'ready') return false;
    return this.cmd.ping().then(
      () => true,
      () => false,
    );
  }

  /** Appends to the channel's stream and fans it out, in one script; rejects data JSON cannot encode. */
  async publish(channel: string, data: unknown, options: PublishOptions = {}): Promise<Publication> {
    const { offset, epoch } = await this.store.publish(channel, data, options.idempotencyKey);
    return { channel, offset, epoch, data };
  }

  /** Where the channel's stream stands; starts it (offset 0, new epoch) if it has no meta. */
  position(channel: string): Promise<StreamPosition> {
    return this.store.position(channel);
  }

  /** The retained publications after `sinceOffset` (or the newest ones), oldest first, with the position. */
  history(channel: string, q: HistoryQuery): Promise<HistoryResult> {
    return this.store.readHistory(channel, q);
  }

  /** Subscribes this node to the channel; resolves once Redis acknowledged. A rejected call holds no reference. */
  subscribe(channel: string): Promise<void> {
    const held = this.channels.get(channel);
    if (held !== undefined) {
      held.count += 1;
      return held.ready;
    }
    const entry = { count: 1, ready: Promise.resolve() };
    entry.ready = this.sub.subscribe(this.names.pubPrefix + channel).then(
      () => {},
      (err: unknown) => {
        if (this.channels.get(channel) === entry) this.channels.delete(channel);
        throw err;
      },
    );
    this.channels.set(channel, entry);
    return entry.ready;
  }

  /** Drops one subscribe(); the last one unsubscribes in Redis, after any SUBSCRIBE sent before (one connection). */
  unsubscribe(channel: string): void {
    const held = this.channels.get(channel);
    if (held === undefined) return;
    held.count -= 1;
    if (held.count > 0) return;
    this.channels.delete(channel);
    this.sub.unsubscribe(this.names.pubPrefix + channel).catch((err: unknown) => {
      // Harmless: publications of channels not held are dropped on arrival.
      this.logger.warn({ err, channel }, 'realtime: Redis UNSUBSCRIBE failed');
    });
  }

  /** Registers a listener for the publications of the channels this node subscribed to. */
  onPublication(listener: (pub: Publication) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Adds (or replaces) a client's entry; this node re-adds it until removed, so only a dead node's entries expire. */
  addPresence(channel: string, entry: PresenceEntry): Promise<void> {
    return this.store.addPresence(channel, entry);
  }

  /** Removes a client's entry everywhere. */
  removePresence(channel: string, client: string): Promise<void> {
    return this.store.removePresence(channel, client);
  }

  /** The live entries of the channel, from every node (order not significant). */
  presence(channel: string): Promise<PresenceEntry[]> {
    return this.store.presence(channel);
  }

  /** Sends the order to every node, this one included, after the publications already made. */
  async disconnect(order: DisconnectOrder): Promise<void> {
    await this.cmd.publish(this.names.control, encodeJson(order, 'disconnect order'));
  }

  /** Registers the handler of disconnect orders. */
  onDisconnect(listener: (order: DisconnectOrder) => void): () => void {
    return this.disconnectListeners.add(listener);
  }

  /** Registers a listener told that publications may have been missed, once the subscriber is back and resubscribed. */
  onReset(listener: () => void): () => void {
    return this.resetListeners.add(listener);
  }

  /** Stops refreshing presence, removes this node's entries (best effort) and closes both connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.refresher);
    await deadline(this.store.removeHeldPresence(), closeTimeoutMs).catch(() => {});
    await Promise.all([quit(this.cmd), quit(this.sub)]);
    this.listeners.clear();
    this.disconnectListeners.clear();
    this.resetListeners.clear();
  }

  /** Drops both connections without any cleanup, as a node that dies would (for tests of that). */
  abandon(): void {
    this.closed = true;
    clearInterval(this.refresher);
    this.cmd.disconnect();
    this.sub.disconnect();
  }

  private async refreshPresence(): Promise<void> {
    if (this.refreshing) return; // the previous round still waits on Redis
    this.refreshing = true;
    const errors = await this.store.refreshPresence();
    this.refreshing = false;
    if (errors.length === 0) return;
    this.logger.warn({ err: errors[0], failed: errors.length }, 'realtime: presence refresh failed');
  }

  // The subscriber came back on a fresh connection: subscribe again to everything held, then tell
  // the reset listeners, so that whatever they do next cannot miss a publication.
  private async resubscribe(): Promise<void> {
    const names = [this.names.control, ...[...this.channels.keys()].map((c) => this.names.pubPrefix + c)];
    try {
      await this.sub.subscribe(...names);
    } catch (err) {
      // The connection dropped again: its next 'ready' retries.
      this.logger.warn({ err }, 'realtime: Redis resubscribe failed');
      return;
    }
    this.logger.info({ node: this.nodeId, channels: names.length - 1 }, 'realtime: Redis subscriber resubscribed');
    this.resetListeners.emit();
  }

  // Channel names are recovered by stripping the known prefix: they may contain ':' themselves.
  private receive(redisChannel: string, message: string): void {
    try {
      if (redisChannel === this.names.control) {
        this.disconnectListeners.emit(JSON.parse(message) as DisconnectOrder);
        return;
      }
      if (!redisChannel.startsWith(this.names.pubPrefix)) return;
      const channel = redisChannel.slice(this.names.pubPrefix.length);
      // A channel just unsubscribed may still deliver until Redis processes the UNSUBSCRIBE.
      if (!this.channels.has(channel)) return;
      this.listeners.emit(decodePublication(channel, message));
    } catch (err) {
      this.logger.warn({ err, redisChannel }, 'realtime: undecodable message from Redis');
    }
  }

}

// Waits for the reply to QUIT, then drops the socket whatever happened (Redis may be gone).
async function quit(conn: Redis): Promise<void> {
  await deadline(conn.quit(), closeTimeoutMs).catch(() => {});
  conn.disconnect();
}

function deadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Credentials must not reach logs or error messages.
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable Redis URL)';
  }
}
