// One client connection: its protocol state machine, its subscriptions and its outgoing frames.
// Commands run strictly one after another (a per-connection promise queue), because
// centrifuge-js matches replies by id but expects pushes and replies in the order they happened.
// The socket itself is ClientSocket's business.

import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { ClientSocket } from './client-socket.ts';
import {
  type Command, connectToken, type DisconnectReason, Disconnects, decodeFrame, Errors, encodeError,
  encodePublication, encodeReply, pingFrame, ProtocolViolation, type ReplyError, subscribeResult,
} from './protocol.ts';
import {
  type Authorizer, type Broker, type Publication, type RealtimeIdentity, type RealtimeLogger,
  type StreamPosition, TokenExpiredError,
} from './types.ts';

/** Limits and timings every connection of a gateway shares. */
export interface ConnectionSettings {
  pingIntervalSeconds: number;
  connectTimeoutSeconds: number;
  maxMessageBytes: number;
  maxBufferedBytes: number;
}

/** What a connection needs from the gateway that owns it. */
export interface ConnectionHub {
  readonly authorizer: Authorizer;
  readonly broker: Broker;
  readonly logger: RealtimeLogger;
  readonly settings: ConnectionSettings;
  /** The connection authenticated: it now counts and can be found by its user. */
  connected(conn: Connection): void;
  subscribed(conn: Connection, channel: string): void;
  unsubscribed(conn: Connection, channel: string): void;
  /** The connection ended; `wasConnected` tells whether connected() was called for it. */
  closed(conn: Connection, wasConnected: boolean): void;
}

interface Subscription {
  server: boolean;
  // Publications that arrived while the subscribe reply was being prepared; null once it is sent.
  pending: Publication[] | null;
}

// A client that keeps sending while its commands wait (e.g. on a slow authorizer) is cut off
// instead of growing the queue without bound.
const maxQueuedFrames = 100;
const maxChannelLength = 255;

/** One client on the Centrifugo JSON protocol v2, from the connect command to the close. */
export class Connection {
  readonly client = randomUUID();
  identity: RealtimeIdentity | null = null;
  private state: 'connecting' | 'connected' | 'closed' = 'connecting';
  private readonly io: ClientSocket;
  private readonly hub: ConnectionHub;
  private readonly subs = new Map<string, Subscription>();
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private connectTimer: NodeJS.Timeout | null;
  private pingTimer: NodeJS.Timeout | null = null;
  private awaitingPong = false;

  constructor(socket: WebSocket, hub: ConnectionHub) {
    this.hub = hub;
    this.io = new ClientSocket(socket, hub.settings.maxBufferedBytes, {
      frame: (data) => this.received(data),
      closed: (code) => {
        if (this.state !== 'closed') hub.logger.debug({ client: this.client, code }, 'realtime client left');
        this.ended();
      },
      slow: (buffered) => {
        hub.logger.warn({ client: this.client, user: this.identity?.user, buffered }, 'realtime client too slow');
        // No push: it would only queue behind what the client is not reading.
        this.disconnect(Disconnects.slow, false);
      },
      error: (err) => hub.logger.debug({ err, client: this.client }, 'realtime socket error'),
    });
    this.connectTimer = setTimeout(() => this.disconnect(Disconnects.stale), hub.settings.connectTimeoutSeconds * 1000);
    this.connectTimer.unref();
  }

  /** Settles when the socket has closed. */
  get closed(): Promise<void> {
    return this.io.closed;
  }

  /** The channels this connection receives, client- and server-side. */
  channels(): IterableIterator<string> {
    return this.subs.keys();
  }

  /** Sends a publication of one of this connection's channels; `frame` is its shared encoding. */
  deliver(pub: Publication, frame: string): void {
    const sub = this.subs.get(pub.channel);
    if (sub === undefined || this.state !== 'connected') return;
    if (sub.pending !== null) sub.pending.push(pub);
    else this.io.write(frame);
  }

  /** Ends the connection: a disconnect push (unless `push` is false), then a close frame with the same code. */
  disconnect(d: DisconnectReason, push = true): void {
    if (this.state === 'closed') return;
    this.hub.logger.debug({ client: this.client, user: this.identity?.user, code: d.code }, 'realtime client disconnected');
    this.ended();
    this.io.close(d, push);
  }

  /** Drops the socket without a close handshake, for a peer that did not answer one. */
  terminate(): void {
    this.ended();
    this.io.terminate();
  }

  private received(data: Buffer): void {
    if (this.state === 'closed') return;
    // Any data proves the client alive, even while its commands wait in the queue.
    this.awaitingPong = false;
    if (data.byteLength > this.hub.settings.maxMessageBytes) {
      // 1009 is the WebSocket code for it; centrifuge-js then stops instead of resending the same.
      this.disconnect({ code: 1009, reason: 'message too big' }, false);
      return;
    }
    if (++this.queued > maxQueuedFrames) {
      this.disconnect(Disconnects.tooManyRequests);
      return;
    }
    this.queue = this.queue
      .then(() => this.processFrame(data.toString('utf8')))
      .catch((err: unknown) => {
        this.hub.logger.error({ err, client: this.client }, 'realtime command failed');
        this.disconnect(Disconnects.serverError);
      })
      .finally(() => {
        this.queued--;
      });
  }

  private async processFrame(text: string): Promise<void> {
    if (this.state === 'closed') return;
    let commands: Command[];
    try {
      commands = decodeFrame(text);
    } catch (err) {
      if (!(err instanceof ProtocolViolation)) throw err;
      return this.violation(err.message);
    }
    this.io.batch();
    try {
      for (const cmd of commands) {
        // A method, not `this.state`: TypeScript would keep the narrowing from above across the await.
        if (this.isClosed()) return;
        await this.dispatch(cmd);
      }
    } finally {
      this.io.flush();
    }
  }

  private async dispatch(cmd: Command): Promise<void> {
    if (this.state === 'connecting') {
      return cmd.method === 'connect' ? this.connect(cmd) : this.violation('first command must be connect');
    }
    switch (cmd.method) {
      case null: // the pong; received() already noted it
      case 'send': // async messages have no handler in Parley; Centrifugo ignores them too without one
        return;
      case 'connect':
        return this.violation('already connected');
      case 'subscribe':
        return this.subscribe(cmd);
      case 'unsubscribe':
        return this.unsubscribe(cmd);
      case 'publish': // clients publish through the REST API, where the domain rules are
        return this.replyError(cmd.id, Errors.permissionDenied);
      case 'rpc':
        return this.replyError(cmd.id, Errors.methodNotFound);
      case 'presence':
      case 'presence_stats':
      case 'history':
      case 'refresh':
      case 'sub_refresh':
        return this.replyError(cmd.id, Errors.notAvailable);
    }
  }

  private async connect(cmd: Command): Promise<void> {
    const token = connectToken(cmd.params);
    if (token === null) return this.disconnect(Disconnects.invalidToken);
    let identity: RealtimeIdentity | null;
    try {
      identity = await this.hub.authorizer.authenticate(token);
    } catch (err) {
      if (err instanceof TokenExpiredError) return this.replyError(cmd.id, Errors.tokenExpired);
      this.hub.logger.error({ err, client: this.client }, 'realtime authenticate failed');
      return this.replyError(cmd.id, Errors.internal);
    }
    if (this.state !== 'connecting') return;
    if (identity === null) return this.disconnect(Disconnects.invalidToken);
    this.identity = identity;
    this.state = 'connected';
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.hub.connected(this);
    const channels = [...new Set(identity.channels)];
    for (const channel of channels) this.addSub(channel, true);
    let positions: StreamPosition[];
    try {
      positions = await Promise.all(channels.map((channel) => this.hub.broker.position(channel)));
    } catch (err) {
      this.hub.logger.error({ err, client: this.client }, 'realtime positions failed');
      return this.disconnect(Disconnects.serverError);
    }
    if (this.state !== 'connected') return;
    const ping = this.hub.settings.pingIntervalSeconds;
    const result: Record<string, unknown> = {
      client: this.client,
      version: 'parley',
      ...(ping > 0 ? { ping, pong: true } : {}),
      // fromEntries, not assignment: a channel named __proto__ must stay a plain key.
      subs: Object.fromEntries(channels.map((channel, i) => [channel, subscribeResult(positions[i]!)])),
    };
    if (identity.expiresAt !== undefined) {
      result.expires = true;
      result.ttl = Math.max(1, Math.ceil(identity.expiresAt - Date.now() / 1000));
    }
    this.write(encodeReply(cmd.id, 'connect', result));
    channels.forEach((channel, i) => {
      this.release(channel, positions[i]!);
    });
    this.hub.logger.debug({ client: this.client, user: identity.user }, 'realtime client connected');
    this.startPing(ping);
  }

  private async subscribe(cmd: Command): Promise<void> {
    const channel = cmd.params.channel;
    if (typeof channel !== 'string' || channel === '' || channel.length > maxChannelLength) {
      return this.replyError(cmd.id, Errors.badRequest);
    }
    if (this.subs.has(channel)) return this.replyError(cmd.id, Errors.alreadySubscribed);
    let allowed: boolean;
    try {
      allowed = await this.hub.authorizer.canSubscribe(this.identity!, channel);
    } catch (err) {
      this.hub.logger.error({ err, client: this.client, channel }, 'realtime canSubscribe failed');
      return this.replyError(cmd.id, Errors.internal);
    }
    if (this.state !== 'connected') return;
    if (!allowed) return this.replyError(cmd.id, Errors.permissionDenied);
    this.addSub(channel, false);
    let position: StreamPosition;
    try {
      position = await this.hub.broker.position(channel);
    } catch (err) {
      this.hub.logger.error({ err, client: this.client, channel }, 'realtime position failed');
      this.removeSub(channel);
      return this.replyError(cmd.id, Errors.internal);
    }
    if (this.state !== 'connected') return;
    this.write(encodeReply(cmd.id, 'subscribe', subscribeResult(position)));
    this.release(channel, position);
  }

  private unsubscribe(cmd: Command): void {
    const channel = cmd.params.channel;
    if (typeof channel !== 'string' || channel === '') {
      this.replyError(cmd.id, Errors.badRequest);
      return;
    }
    // Server-side channels are the server's decision; the client SDK never unsubscribes them.
    if (this.subs.get(channel)?.server === false) this.removeSub(channel);
    this.write(encodeReply(cmd.id, 'unsubscribe', {}));
  }

  // Subscribed before the position is read, so no publication falls between the two; the ones
  // that arrive meanwhile wait in `pending` until the reply is out (see release).
  private addSub(channel: string, server: boolean): void {
    this.subs.set(channel, { server, pending: [] });
    this.hub.subscribed(this, channel);
  }

  private removeSub(channel: string): void {
    this.subs.delete(channel);
    this.hub.unsubscribed(this, channel);
  }

  // Sends what waited for the subscribe reply, minus what the reply's position already covers.
  private release(channel: string, position: StreamPosition): void {
    const sub = this.subs.get(channel);
    if (sub === undefined || sub.pending === null) return;
    const pending = sub.pending;
    sub.pending = null;
    for (const pub of pending) {
      if (pub.epoch !== position.epoch || pub.offset > position.offset) this.write(encodePublication(pub));
    }
  }

  private startPing(seconds: number): void {
    if (seconds <= 0) return;
    this.pingTimer = setInterval(() => {
      // The previous ping got no answer in a whole interval.
      if (this.awaitingPong) {
        this.disconnect(Disconnects.noPong);
        return;
      }
      this.awaitingPong = true;
      // Straight out, not batched behind a frame in progress: a ping has no order to keep.
      this.io.sendNow(pingFrame);
    }, seconds * 1000);
    this.pingTimer.unref();
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private violation(why: string): void {
    this.hub.logger.debug({ client: this.client, why }, 'realtime protocol violation');
    this.disconnect(Disconnects.badRequest);
  }

  private replyError(id: number, error: ReplyError): void {
    this.write(encodeError(id, error));
  }

  private write(line: string): void {
    if (this.state !== 'closed') this.io.write(line);
  }

  // Drops everything the connection holds; safe to call twice (disconnect, then the socket's close).
  private ended(): void {
    if (this.state === 'closed') return;
    const wasConnected = this.state === 'connected';
    this.state = 'closed';
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.hub.closed(this, wasConnected);
    this.subs.clear();
  }
}
