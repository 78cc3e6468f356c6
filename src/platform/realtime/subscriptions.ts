// The channels one connection receives: the server-side ones given at connect and the ones the
// client subscribes to. A channel is registered (with the gateway and the broker) before its
// position or history is read, so no publication falls between the two; what arrives meanwhile
// waits until the reply is out, and what the reply already covers is dropped.

import type { Connection, ConnectionHub } from './connection.ts';
import { type Command, Errors, encodeError, encodePublication, encodeReply, type ReplyError } from './protocol.ts';
import { type RecoveryRequest, recoveryRequest, subscribeResult } from './recovery.ts';
import type { Publication, StreamPosition } from './types.ts';

/** What a connection lends its subscriptions. */
export interface SubscriptionOwner {
  readonly conn: Connection;
  readonly hub: ConnectionHub;
  /** False once the connection has closed, e.g. while a subscribe awaited the authorizer. */
  isConnected(): boolean;
  /** Queues a reply or push behind everything written before it. */
  write(line: string): void;
  /** The stream skipped ahead of what this client has: it must reconnect and recover. */
  lostTrack(channel: string): void;
}

interface Subscription {
  server: boolean;
  // Whether the gateway and broker were told (and so must be told when it goes).
  registered: boolean;
  // Publications that arrived while the subscribe reply was being prepared; null once it is sent.
  pending: Publication[] | null;
  // The last position this client has (from the reply, then each publication sent): with several
  // nodes a publication can reach this node after the history read that already covered it.
  position: StreamPosition | null;
}

/** A channel joined and the subscribe result to send for it (release() the channel once it is written). */
export interface Joined {
  channel: string;
  result: Record<string, unknown>;
  top: StreamPosition;
}

const maxChannelLength = 255;

/** One connection's channels, client- and server-side, and the subscribe/unsubscribe commands. */
export class Subscriptions {
  private readonly owner: SubscriptionOwner;
  private readonly subs = new Map<string, Subscription>();

  constructor(owner: SubscriptionOwner) {
    this.owner = owner;
  }

  /** The channels this connection receives, client- and server-side. */
  channels(): IterableIterator<string> {
    return this.subs.keys();
  }

  /** Whether the connection receives `channel` (and its subscribe reply is out). */
  has(channel: string): boolean {
    return this.subs.get(channel)?.pending === null;
  }

  /** Sends a publication of a subscribed channel, or holds it while that channel's reply is prepared. */
  deliver(pub: Publication, frame: string): void {
    const sub = this.subs.get(pub.channel);
    if (sub === undefined) return;
    if (sub.pending !== null) sub.pending.push(pub);
    else this.forward(sub, pub, frame);
  }

  /**
   * Joins the server's channels at connect, recovering those the client asked to (the connect
   * command's `subs`). Call release() for each once the connect reply is written.
   */
  async joinServerSide(channels: readonly string[], asked: Record<string, unknown>): Promise<Joined[]> {
    for (const channel of channels) this.add(channel, true);
    return Promise.all(channels.map((channel) => this.join(channel, recoveryRequest(asked[channel]))));
  }

  /** Sends what waited for the channel's reply, minus what the reply already covered. */
  release(channel: string, top: StreamPosition): void {
    const sub = this.subs.get(channel);
    if (sub === undefined || sub.pending === null) return;
    const pending = sub.pending;
    sub.pending = null;
    sub.position = { ...top };
    for (const pub of pending) {
      if (!this.forward(sub, pub, null)) return;
    }
  }

  // Sends the next publication of the stream once: one already covered is dropped; one past a gap
  // (or from another epoch) means this client cannot follow the stream any more. False then.
  private forward(sub: Subscription, pub: Publication, frame: string | null): boolean {
    const at = sub.position!;
    if (pub.epoch === at.epoch && pub.offset <= at.offset) return true;
    if (pub.epoch !== at.epoch || pub.offset !== at.offset + 1) {
      this.owner.lostTrack(pub.channel);
      return false;
    }
    at.offset = pub.offset;
    this.owner.write(frame ?? encodePublication(pub));
    return true;
  }

  /** Handles a client's subscribe command. */
  async subscribe(cmd: Command): Promise<void> {
    const { conn, hub } = this.owner;
    const channel = cmd.params.channel;
    if (typeof channel !== 'string' || channel === '' || channel.length > maxChannelLength) {
      return this.replyError(cmd, Errors.badRequest);
    }
    if (this.subs.has(channel)) return this.replyError(cmd, Errors.alreadySubscribed);
    // Server-side channels count too: the cap bounds what one connection costs on every publication.
    if (this.subs.size >= hub.settings.maxSubscriptions) return this.replyError(cmd, Errors.limitExceeded);
    let allowed: boolean;
    try {
      allowed = await hub.authorizer.canSubscribe(conn.identity!, channel);
    } catch (err) {
      hub.logger.error({ err, client: conn.client, channel }, 'realtime canSubscribe failed');
      return this.replyError(cmd, Errors.internal);
    }
    if (!this.owner.isConnected()) return;
    if (!allowed) return this.replyError(cmd, Errors.permissionDenied);
    if (this.subs.has(channel)) return this.replyError(cmd, Errors.alreadySubscribed);
    this.add(channel, false);
    let joined: Joined;
    try {
      joined = await this.join(channel, recoveryRequest(cmd.params));
    } catch (err) {
      hub.logger.error({ err, client: conn.client, channel }, 'realtime subscribe failed');
      if (this.subs.has(channel)) this.remove(channel);
      return this.replyError(cmd, Errors.internal);
    }
    if (!this.owner.isConnected()) return;
    this.owner.write(encodeReply(cmd.id, 'subscribe', joined.result));
    this.release(channel, joined.top);
  }

  /** Handles a client's unsubscribe command. */
  unsubscribe(cmd: Command): void {
    const channel = cmd.params.channel;
    if (typeof channel !== 'string' || channel === '') {
      this.replyError(cmd, Errors.badRequest);
      return;
    }
    // Server-side channels are the server's decision; the client SDK never unsubscribes them.
    if (this.subs.get(channel)?.server === false) this.remove(channel);
    this.owner.write(encodeReply(cmd.id, 'unsubscribe', {}));
  }

  /** Forgets every channel, telling the gateway: for a connection that has closed. */
  clear(): void {
    for (const channel of [...this.subs.keys()]) this.remove(channel);
  }

  // The broker delivers the channel to this node from here on; then the stream is read and this
  // client entered in the channel's presence.
  private async join(channel: string, recovery: RecoveryRequest | null): Promise<Joined> {
    const { hub, conn } = this.owner;
    const sub = this.subs.get(channel)!;
    sub.registered = true;
    try {
      await hub.subscribed(conn, channel);
    } catch (err) {
      // The broker holds no reference for a failed subscribe: none to give back later.
      sub.registered = false;
      throw err;
    }
    const read = recovery === null || hub.settings.historySize === 0
      ? hub.broker.position(channel).then((top) => ({ top, publications: [] as Publication[] }))
      : hub.broker.history(channel, { sinceOffset: recovery.offset, limit: hub.settings.historySize })
          .then((h) => ({ top: h.position, publications: h.publications }));
    const [{ top, publications }] = await Promise.all([read, hub.present(conn, channel)]);
    return { channel, top, result: subscribeResult(top, recovery, publications, hub.settings.historySize > 0) };
  }

  private add(channel: string, server: boolean): void {
    this.subs.set(channel, { server, registered: false, pending: [], position: null });
  }

  private remove(channel: string): void {
    const sub = this.subs.get(channel);
    this.subs.delete(channel);
    if (sub?.registered) this.owner.hub.unsubscribed(this.owner.conn, channel);
  }

  private replyError(cmd: Command, error: ReplyError): void {
    this.owner.write(encodeError(cmd.id, error));
  }
}
