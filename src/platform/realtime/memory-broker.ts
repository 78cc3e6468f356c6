// The single-node broker: streams, history and presence live in this process, so offsets restart
// (under a new epoch) when it does, and clients that come back then learn they could not recover.

import { randomBytes } from 'node:crypto';
import { Listeners } from './listeners.ts';
import type {
  Broker, DisconnectOrder, HistoryOptions, HistoryQuery, HistoryResult, PresenceEntry, Publication, PublishOptions, StreamPosition,
} from './types.ts';

/** Options of the in-process broker. */
export interface MemoryBrokerOptions {
  history: HistoryOptions;
  /** Called when a listener throws; by default the error is rethrown outside publish(). */
  onListenerError?: (err: unknown) => void;
  /** Milliseconds between sweeps of expired history and streams; 60 s by default. */
  sweepIntervalMs?: number;
  /** The clock, for tests of expiry. */
  now?: () => number;
}

interface Stream {
  offset: number;
  epoch: string;
  /** The newest publications, oldest first, with contiguous offsets ending at `offset`. */
  history: Publication[];
  /** When the last publication went out (history expires `ttlSeconds` after it). */
  publishedAt: number;
  /** When the stream was last published to or read (offset and epoch expire after `metaTtlSeconds`). */
  usedAt: number;
}

// Thrown asynchronously so a faulty listener is loud but cannot fail a publish that happened.
function rethrowLater(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}

/** A fresh epoch: 8 hex characters, different each time a stream starts over. */
export function newEpoch(): string {
  return randomBytes(4).toString('hex');
}

/** Broker for one process: per-channel offsets from 1, bounded history, presence of local clients. */
/** Idempotency keys the in-memory broker remembers. */
const PUBLISHED_KEYS = 10_000;

export class MemoryBroker implements Broker {
  private readonly streams = new Map<string, Stream>();
  /** Idempotency keys of recent publishes (channel and key → the position they got). */
  private readonly published = new Map<string, StreamPosition>();
  private readonly presenceByChannel = new Map<string, Map<string, PresenceEntry>>();
  private readonly listeners: Listeners<Publication>;
  private readonly disconnectListeners: Listeners<DisconnectOrder>;
  private readonly opts: HistoryOptions;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(opts: MemoryBrokerOptions) {
    this.opts = opts.history;
    const onListenerError = opts.onListenerError ?? rethrowLater;
    this.listeners = new Listeners(onListenerError);
    this.disconnectListeners = new Listeners(onListenerError);
    this.now = opts.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), opts.sweepIntervalMs ?? 60_000);
    this.sweeper.unref();
  }

  /** Appends to the channel's stream and hands the publication to every listener before returning. */
  async publish(channel: string, data: unknown, options: PublishOptions = {}): Promise<Publication> {
    // As the Redis broker: what cannot travel as JSON is refused before it takes an offset. The
    // text is kept, so the gateway's frame for the clients is made without encoding it again.
    const raw = JSON.stringify(data) as string | undefined;
    if (raw === undefined) throw new TypeError(`publication to ${channel} is not JSON`);
    const key = options.idempotencyKey === undefined ? undefined : `${channel}\n${options.idempotencyKey}`;
    const seen = key === undefined ? undefined : this.published.get(key);
    if (seen) return { channel, offset: seen.offset, epoch: seen.epoch, data };
    const stream = this.stream(channel);
    stream.offset += 1;
    stream.publishedAt = stream.usedAt;
    const pub: Publication = { channel, offset: stream.offset, epoch: stream.epoch, data };
    if (this.opts.size > 0) {
      stream.history.push(pub);
      if (stream.history.length > this.opts.size) stream.history.shift();
    }
    if (key !== undefined) {
      // Kept as long as a relay may retry, and no more (the oldest go first).
      this.published.set(key, { offset: pub.offset, epoch: pub.epoch });
      if (this.published.size > PUBLISHED_KEYS) this.published.delete(this.published.keys().next().value!);
    }
    // Only the listeners (the gateway) get the text; history keeps the publication as it is.
    this.listeners.emit({ ...pub, raw });
    return pub;
  }

  /** Where the channel's stream stands (offset 0 if nothing was published to it yet). */
  async position(channel: string): Promise<StreamPosition> {
    const { offset, epoch } = this.stream(channel);
    return { offset, epoch };
  }

  /** The retained publications after `sinceOffset` (or the newest ones), oldest first. */
  async history(channel: string, q: HistoryQuery): Promise<HistoryResult> {
    const stream = this.stream(channel);
    const position = { offset: stream.offset, epoch: stream.epoch };
    const held = stream.history;
    const publications =
      q.sinceOffset === undefined
        ? held.slice(Math.max(0, held.length - q.limit))
        : held.filter((p) => p.offset > q.sinceOffset!).slice(0, q.limit);
    return { position, publications };
  }

  // One process: every publication reaches the listeners; nothing to subscribe to.
  async subscribe(_channel: string): Promise<void> {}
  unsubscribe(_channel: string): void {}

  /** Registers a listener for all channels; returns the function that removes it. */
  onPublication(listener: (pub: Publication) => void): () => void {
    return this.listeners.add(listener);
  }

  async addPresence(channel: string, entry: PresenceEntry): Promise<void> {
    let clients = this.presenceByChannel.get(channel);
    if (clients === undefined) {
      clients = new Map();
      this.presenceByChannel.set(channel, clients);
    }
    clients.set(entry.client, entry);
  }

  async removePresence(channel: string, client: string): Promise<void> {
    const clients = this.presenceByChannel.get(channel);
    if (clients === undefined) return;
    clients.delete(client);
    if (clients.size === 0) this.presenceByChannel.delete(channel);
  }

  async presence(channel: string): Promise<PresenceEntry[]> {
    return [...(this.presenceByChannel.get(channel)?.values() ?? [])];
  }

  /** Hands the order to this node's handlers: there is no other node. */
  async disconnect(order: DisconnectOrder): Promise<void> {
    this.disconnectListeners.emit(order);
  }

  onDisconnect(listener: (order: DisconnectOrder) => void): () => void {
    return this.disconnectListeners.add(listener);
  }

  // Nothing can be missed in one process.
  onReset(_listener: () => void): () => void {
    return () => {};
  }

  /** Always ready: everything is in this process. */
  async ready(): Promise<boolean> {
    return true;
  }

  /** Drops all listeners and stops sweeping; streams go with the process. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.listeners.clear();
    this.disconnectListeners.clear();
  }

  /** Channels whose stream is held (for tests of expiry). */
  get streamCount(): number {
    return this.streams.size;
  }

  /** Drops history past its TTL and streams past their meta TTL; runs on a timer. */
  sweep(): void {
    const now = this.now();
    for (const [channel, s] of this.streams) {
      if (now - s.usedAt >= this.opts.metaTtlSeconds * 1000) this.streams.delete(channel);
      else if (s.history.length > 0 && now - s.publishedAt >= this.opts.ttlSeconds * 1000) s.history = [];
    }
  }

  // Reading a stream also keeps its epoch alive: a client holds a position in it.
  private stream(channel: string): Stream {
    const now = this.now();
    let stream = this.streams.get(channel);
    if (stream !== undefined && now - stream.usedAt >= this.opts.metaTtlSeconds * 1000) stream = undefined;
    if (stream === undefined) {
      stream = { offset: 0, epoch: newEpoch(), history: [], publishedAt: now, usedAt: now };
      this.streams.set(channel, stream);
    } else if (stream.history.length > 0 && now - stream.publishedAt >= this.opts.ttlSeconds * 1000) {
      stream.history = [];
    }
    stream.usedAt = now;
    return stream;
  }

}
