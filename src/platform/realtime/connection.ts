// One client connection: its protocol state machine, from the connect command to the close.
// The socket is ClientSocket's business, the order of commands CommandQueue's and the channels
// Subscriptions'.

import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { answerQuery } from './channel-queries.ts';
import { ClientSocket } from './client-socket.ts';
import { type CommandLimits, CommandQueue } from './command-queue.ts';
import {
  type Command, connectToken, type DisconnectReason, Disconnects, decodeCommands, Errors, encodeError,
  encodeReply, frameLines, isObject, pingFrame, ProtocolViolation, type ReplyError, stringParam,
} from './protocol.ts';
import { type Joined, Subscriptions } from './subscriptions.ts';
import {
  type Authorizer, type Broker, type Publication, type RealtimeIdentity, type RealtimeLogger, TokenExpiredError,
} from './types.ts';

/** Limits and timings every connection of a gateway shares. */
export interface ConnectionSettings extends CommandLimits {
  pingIntervalSeconds: number;
  connectTimeoutSeconds: number;
  maxMessageBytes: number;
  maxBufferedBytes: number;
  /** Channels one connection may hold, server-side ones included. */
  maxSubscriptions: number;
  /** Publications the broker keeps per channel; 0 means no recovery. */
  historySize: number;
  /** Seconds a connection outlives its lapsed credential, for a refresh under way. */
  expiredCloseDelaySeconds: number;
}

/** What a connection needs from the gateway that owns it. */
export interface ConnectionHub {
  readonly authorizer: Authorizer;
  readonly broker: Broker;
  readonly logger: RealtimeLogger;
  readonly settings: ConnectionSettings;
  /** The connection authenticated: it now counts and can be found by its user. */
  connected(conn: Connection): void;
  /** The connection receives `channel` from now on; resolves once the broker delivers it to this node. */
  subscribed(conn: Connection, channel: string): Promise<void>;
  /** Enters the connection in the channel's presence (unless it has closed meanwhile). */
  present(conn: Connection, channel: string): Promise<void>;
  unsubscribed(conn: Connection, channel: string): void;
  /** The connect reply is out: the connection is fully established. */
  established(conn: Connection): void;
  /** The connection ended; `wasConnected` tells whether connected() was called for it. */
  closed(conn: Connection, wasConnected: boolean): void;
}

// setTimeout fires at once for a delay past 2^31-1 ms (about 24.8 days); longer waits re-arm.
const maxTimerMs = 2 ** 31 - 1;

/** One client on the Centrifugo JSON protocol v2, from the connect command to the close. */
export class Connection {
  readonly client = randomUUID();
  identity: RealtimeIdentity | null = null;
  private state: 'connecting' | 'connected' | 'closed' = 'connecting';
  private readonly io: ClientSocket;
  private readonly hub: ConnectionHub;
  private readonly subs: Subscriptions;
  private readonly commands: CommandQueue;
  private connectTimer: NodeJS.Timeout | null;
  private pingTimer: NodeJS.Timeout | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private awaitingPong = false;

  /** The client's address (for sites that let people in only from some). */
  private readonly address: string | undefined;

  constructor(socket: WebSocket, hub: ConnectionHub, address?: string) {
    this.hub = hub;
    this.address = address;
    this.subs = new Subscriptions({
      conn: this,
      hub,
      isConnected: () => this.state === 'connected',
      write: (line) => this.write(line),
      lostTrack: (channel) => {
        hub.logger.warn({ client: this.client, channel }, 'realtime client lost track of a stream');
        this.disconnect(Disconnects.insufficientState);
      },
    });
    this.commands = new CommandQueue(
      hub.settings,
      (lines) => this.processFrame(lines),
      (err) => {
        hub.logger.error({ err, client: this.client }, 'realtime command failed');
        this.disconnect(Disconnects.serverError);
      },
    );
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
    return this.subs.channels();
  }

  /** Sends a publication of one of this connection's channels; `frame` is its shared encoding. */
  deliver(pub: Publication, frame: string): void {
    if (this.state === 'connected') this.subs.deliver(pub, frame);
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
    const lines = frameLines(data.toString('utf8'));
    if (!this.commands.push(lines)) {
      const pending = this.commands.pendingCommands;
      const who = { client: this.client, user: this.identity?.user };
      this.hub.logger.warn({ ...who, commands: lines.length, pending }, 'realtime client sends too much');
      this.disconnect(Disconnects.tooManyRequests);
    }
  }

  private async processFrame(lines: string[]): Promise<void> {
    if (this.state === 'closed') return;
    let commands: Command[];
    try {
      commands = decodeCommands(lines);
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
        return this.subs.subscribe(cmd);
      case 'unsubscribe':
        return this.subs.unsubscribe(cmd);
      case 'publish': // clients publish through the REST API, where the domain rules are
        return this.replyError(cmd.id, Errors.permissionDenied);
      case 'rpc':
        return this.replyError(cmd.id, Errors.methodNotFound);
      case 'presence':
      case 'presence_stats':
      case 'history':
        return this.query(cmd as Command & { method: typeof cmd.method });
      case 'refresh':
        return this.refresh(cmd);
      case 'sub_refresh': // Parley has no subscription tokens to refresh
        return this.replyError(cmd.id, Errors.notAvailable);
    }
  }

  /** Whether the connection is open and established (connect answered). */
  isOpen(): boolean {
    return this.state === 'connected';
  }

  private async query(cmd: Command & { method: 'presence' | 'presence_stats' | 'history' }): Promise<void> {
    const { hub } = this;
    const identity = this.identity!;
    let line: string;
    try {
      line = await answerQuery(
        {
          broker: hub.broker,
          identity,
          historySize: hub.settings.historySize,
          receives: (channel) => this.subs.has(channel),
          mayReadPresence: (channel) => hub.authorizer.canReadPresence?.(identity, channel) ?? true,
        },
        cmd,
      );
    } catch (err) {
      hub.logger.error({ err, client: this.client, method: cmd.method }, 'realtime query failed');
      line = encodeError(cmd.id, Errors.internal);
    }
    this.write(line);
  }

  // A new credential for the same user extends the connection; its channels stay as they are.
  private async refresh(cmd: Command): Promise<void> {
    const token = stringParam(cmd.params, 'token');
    if (token === null) return this.replyError(cmd.id, Errors.badRequest);
    let fresh: RealtimeIdentity | null;
    try {
      fresh = await this.hub.authorizer.authenticate(token, this.address);
    } catch (err) {
      if (err instanceof TokenExpiredError) return this.replyError(cmd.id, Errors.tokenExpired);
      this.hub.logger.error({ err, client: this.client }, 'realtime refresh failed');
      return this.replyError(cmd.id, Errors.internal);
    }
    if (this.state !== 'connected') return;
    if (fresh === null || fresh.user !== this.identity!.user) return this.disconnect(Disconnects.invalidToken);
    const msLeft = fresh.expiresAt === undefined ? Infinity : fresh.expiresAt * 1000 - Date.now();
    if (!(msLeft > 0)) return this.replyError(cmd.id, Errors.tokenExpired);
    const { expiresAt, session, context } = fresh;
    this.identity = { ...this.identity!, expiresAt, session, context };
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    if (expiresAt !== undefined) this.expireAt(expiresAt);
    this.write(encodeReply(cmd.id, 'refresh', { client: this.client, version: 'parley', ...this.expiry() }));
  }

  // Centrifugo's `expires`/`ttl`: the client refreshes its credential before `ttl` seconds pass.
  private expiry(): Record<string, unknown> {
    const expiresAt = this.identity?.expiresAt;
    if (expiresAt === undefined) return {};
    // Rounded down, so that the client refreshes before the credential lapses.
    return { expires: true, ttl: Math.max(1, Math.floor(expiresAt - Date.now() / 1000)) };
  }

  private async connect(cmd: Command): Promise<void> {
    const token = connectToken(cmd.params);
    if (token === null) return this.disconnect(Disconnects.invalidToken);
    let identity: RealtimeIdentity | null;
    try {
      identity = await this.hub.authorizer.authenticate(token, this.address);
    } catch (err) {
      if (err instanceof TokenExpiredError) return this.replyError(cmd.id, Errors.tokenExpired);
      this.hub.logger.error({ err, client: this.client }, 'realtime authenticate failed');
      return this.replyError(cmd.id, Errors.internal);
    }
    if (this.state !== 'connecting') return;
    if (identity === null) return this.disconnect(Disconnects.invalidToken);
    // An authorizer may hand back a credential that lapsed while it looked it up (or a NaN).
    const msLeft = identity.expiresAt === undefined ? Infinity : identity.expiresAt * 1000 - Date.now();
    if (!(msLeft > 0)) return this.replyError(cmd.id, Errors.tokenExpired);
    this.identity = identity;
    this.state = 'connected';
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    if (identity.expiresAt !== undefined) this.expireAt(identity.expiresAt);
    this.hub.connected(this);
    const channels = [...new Set(identity.channels)];
    const asked = isObject(cmd.params.subs) ? cmd.params.subs : {};
    let joined: Joined[];
    try {
      joined = await this.subs.joinServerSide(channels, asked);
    } catch (err) {
      this.hub.logger.error({ err, client: this.client }, 'realtime server-side subscribe failed');
      return this.disconnect(Disconnects.serverError);
    }
    if (this.state !== 'connected') return;
    const ping = this.hub.settings.pingIntervalSeconds;
    const result: Record<string, unknown> = {
      client: this.client,
      version: 'parley',
      ...(ping > 0 ? { ping, pong: true } : {}),
      // fromEntries, not assignment: a channel named __proto__ must stay a plain key.
      subs: Object.fromEntries(joined.map((j) => [j.channel, j.result])),
      ...this.expiry(),
    };
    this.write(encodeReply(cmd.id, 'connect', result));
    for (const j of joined) this.subs.release(j.channel, j.top);
    this.hub.logger.debug({ client: this.client, user: identity.user }, 'realtime client connected');
    this.startPing(ping);
    this.hub.established(this);
  }

  // A client that does not refresh its credential in time is disconnected once it lapses (after
  // the grace Centrifugo also gives, for a refresh under way), instead of trusting the client to
  // leave. Never synchronous, so connect() cannot be cut off halfway.
  private expireAt(expiresAt: number): void {
    const deadline = (expiresAt + this.hub.settings.expiredCloseDelaySeconds) * 1000;
    const wait = () => {
      const left = deadline - Date.now();
      // setTimeout fires at once for delays past maxTimerMs, so long waits re-arm.
      if (left > 0) this.expiryTimer = setTimeout(wait, Math.min(left, maxTimerMs)).unref();
      else this.disconnect(Disconnects.expired);
    };
    this.expiryTimer = setTimeout(wait, 0).unref();
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
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    this.subs.clear();
    this.hub.closed(this, wasConnected);
  }
}
