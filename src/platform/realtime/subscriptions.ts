// The channels one connection receives: the server-side ones given at connect and the ones the
// client subscribes to. A channel is registered with the gateway before its position is read, so no
// publication falls between the two; what arrives meanwhile waits until the reply is out.

import type { Connection, ConnectionHub } from './connection.ts';
import {
  type Command, Errors, encodeError, encodePublication, encodeReply, type ReplyError, subscribeResult,
} from './protocol.ts';
import type { Publication, StreamPosition } from './types.ts';

/** What a connection lends its subscriptions. */
export interface SubscriptionOwner {
  readonly conn: Connection;
  readonly hub: ConnectionHub;
  /** False once the connection has closed, e.g. while a subscribe awaited the authorizer. */
  isConnected(): boolean;
  /** Queues a reply or push behind everything written before it. */
  write(line: string): void;
}

interface Subscription {
  server: boolean;
  // Publications that arrived while the subscribe reply was being prepared; null once it is sent.
  pending: Publication[] | null;
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

  /** Sends a publication of a subscribed channel, or holds it while that channel's reply is prepared. */
  deliver(pub: Publication, frame: string): void {
    const sub = this.subs.get(pub.channel);
    if (sub === undefined) return;
    if (sub.pending !== null) sub.pending.push(pub);
    else this.owner.write(frame);
  }

  /** Subscribes the server's channels at connect; call release() for each once the connect reply is written. */
  addServerSide(channels: readonly string[]): void {
    for (const channel of channels) this.add(channel, true);
  }

  /** Sends what waited for the channel's reply, minus what the reply's position already covers. */
  release(channel: string, position: StreamPosition): void {
    const sub = this.subs.get(channel);
    if (sub === undefined || sub.pending === null) return;
    const pending = sub.pending;
    sub.pending = null;
    for (const pub of pending) {
      if (pub.epoch !== position.epoch || pub.offset > position.offset) this.owner.write(encodePublication(pub));
    }
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
    this.add(channel, false);
    let position: StreamPosition;
    try {
      position = await hub.broker.position(channel);
    } catch (err) {
      hub.logger.error({ err, client: conn.client, channel }, 'realtime position failed');
      this.remove(channel);
      return this.replyError(cmd, Errors.internal);
    }
    if (!this.owner.isConnected()) return;
    this.owner.write(encodeReply(cmd.id, 'subscribe', subscribeResult(position)));
    this.release(channel, position);
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

  /** Forgets every channel, without telling the gateway: for a connection that has closed. */
  clear(): void {
    this.subs.clear();
  }

  private add(channel: string, server: boolean): void {
    this.subs.set(channel, { server, pending: [] });
    this.owner.hub.subscribed(this.owner.conn, channel);
  }

  private remove(channel: string): void {
    this.subs.delete(channel);
    this.owner.hub.unsubscribed(this.owner.conn, channel);
  }

  private replyError(cmd: Command, error: ReplyError): void {
    this.owner.write(encodeError(cmd.id, error));
  }
}
