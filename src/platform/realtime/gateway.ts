// The real-time gateway: Centrifugo's WebSocket endpoints on Parley's own Fastify server, so the
// unmodified centrifuge-js client connects to Parley as it would to Centrifugo. It keeps the
// indexes that make delivery cost O(subscribers of the channel) and user-wide disconnects cheap.

import type { WebsocketHandler } from '@fastify/websocket';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { Connection, type ConnectionHub } from './connection.ts';
import { type DisconnectReason, Disconnects, encodePublication } from './protocol.ts';
import type { Authorizer, Broker, DisconnectOrder, RealtimeIdentity, RealtimeLogger } from './types.ts';

/** Told when a client's connection is established and when it has gone (its presence removed). */
export interface SessionListener {
  connected(identity: RealtimeIdentity, client: string): void;
  disconnected(identity: RealtimeIdentity, client: string): void;
}

/** What the gateway is built from; the optional limits have Centrifugo-like defaults. */
export interface RealtimeGatewayOptions {
  authorizer: Authorizer;
  broker: Broker;
  pingIntervalSeconds: number;
  /** Largest frame a client may send; larger ones close the socket with 1009. */
  maxMessageBytes: number;
  logger: RealtimeLogger;
  onConnectionCountChange?: (n: number) => void;
  /** Outgoing bytes a client may leave unread before it is disconnected as slow (3008); 4 MiB by default. */
  maxBufferedBytes?: number;
  /** Seconds a new socket has to send its connect command; 10 by default. */
  connectTimeoutSeconds?: number;
  /**
   * Commands one frame may carry; a frame with more disconnects with 3013 before any of them runs.
   * 300 by default. centrifuge-js sends connect and every client-side subscribe in one frame when it
   * (re)connects, so this must stay above the client-side channels one client holds.
   */
  maxCommandsPerFrame?: number;
  /** Commands a connection may have waiting for their turn or their answer; past it, 3013. 1000 by default. */
  maxPendingCommands?: number;
  /** Channels one connection may hold, server-side ones included; past it, subscribe gets error 106. 256 by default. */
  maxSubscriptions?: number;
  /** Publications the broker keeps per channel (its history size); 0 turns recovery off. */
  historySize: number;
  /** Seconds a connection outlives its lapsed credential, for a refresh under way; 25 by default, as Centrifugo. */
  expiredCloseDelaySeconds?: number;
  sessions?: SessionListener;
}

/** The running gateway, as main.ts and the modules that end sessions see it. */
export interface RealtimeGateway {
  /** Adds the WebSocket routes; @fastify/websocket must already be registered on `app`. */
  register(app: FastifyInstance): Promise<void>;
  /** Connections that completed connect. */
  connectionCount(): number;
  /** Ends the matching connections on every node (through the broker); resolves once the order is out. */
  disconnect(order: DisconnectOrder): Promise<void>;
  /** Disconnects every connection of `user` on this node (but `exceptClient`); returns how many. */
  disconnectUser(user: string, code: number, reason: string, opts?: { exceptClient?: string }): number;
  /**
   * Disconnects every connected connection whose identity matches, e.g. the sessions of a revoked
   * token by the token id in `identity.context`; returns how many. Matching runs over all of them
   * before any is disconnected, so a predicate that throws disconnects none.
   */
  disconnectWhere(match: (identity: RealtimeIdentity) => boolean, code: number, reason: string): number;
  /** Disconnects everyone with 3001 shutdown and stops delivering; resolves when the sockets are closed. */
  close(): Promise<void>;
}

/** Where centrifuge-js connects: Centrifugo's path, and the same under the /centrifugo prefix. */
export const realtimePaths = ['/connection/websocket', '/centrifugo/connection/websocket'] as const;

const defaultMaxBufferedBytes = 4 * 1024 * 1024;
const defaultConnectTimeoutSeconds = 10;
// Above the subscription cap: centrifuge-js resends connect and every subscribe in one frame.
const defaultMaxCommandsPerFrame = 300;
const defaultMaxPendingCommands = 1000;
const defaultMaxSubscriptions = 256;
const defaultExpiredCloseDelaySeconds = 25;
// How long close() waits for a client to answer the close frame before dropping the socket.
const closeGraceMs = 2000;

// A variable, not a literal, so it type-checks whether or not @fastify/swagger's `hide` is in scope.
const hiddenFromOpenApi: FastifySchema & { hide: boolean } = { hide: true };

function addTo<K>(index: Map<K, Set<Connection>>, key: K, conn: Connection): void {
  let set = index.get(key);
  if (set === undefined) {
    set = new Set();
    index.set(key, set);
  }
  set.add(conn);
}

function removeFrom<K>(index: Map<K, Set<Connection>>, key: K, conn: Connection): void {
  const set = index.get(key);
  if (set === undefined) return;
  set.delete(conn);
  if (set.size === 0) index.delete(key);
}

// Picks first, then disconnects: disconnecting edits the sets being read.
function disconnectAll(
  candidates: Iterable<Connection>,
  match: (conn: Connection) => boolean,
  d: DisconnectReason,
): number {
  const matched = [...candidates].filter(match);
  for (const conn of matched) conn.disconnect(d);
  return matched.length;
}

async function closedWithin(conn: Connection, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      conn.terminate();
      resolve();
    }, ms);
  });
  await Promise.race([conn.closed, late]);
  clearTimeout(timer);
}

/** Creates the gateway; call register() to expose it and close() before the broker closes. */
export function createRealtimeGateway(opts: RealtimeGatewayOptions): RealtimeGateway {
  const { logger, broker } = opts;
  const sockets = new Set<Connection>(); // every open socket, connected or not yet
  const byChannel = new Map<string, Set<Connection>>();
  const byUser = new Map<string, Set<Connection>>();
  const live = new Set<Connection>(); // the connections that completed connect
  let closing = false;

  const countChanged = () => opts.onConnectionCountChange?.(live.size);
  // Presence removals of each closing connection, so its departure is announced once they are done.
  const leaving = new WeakMap<Connection, Promise<void>[]>();

  const report = (what: string, channel?: string) => (err: unknown) => logger.error({ err, channel }, what);

  const hub: ConnectionHub = {
    authorizer: opts.authorizer,
    broker,
    logger,
    settings: {
      pingIntervalSeconds: opts.pingIntervalSeconds,
      connectTimeoutSeconds: opts.connectTimeoutSeconds ?? defaultConnectTimeoutSeconds,
      maxMessageBytes: opts.maxMessageBytes,
      maxBufferedBytes: opts.maxBufferedBytes ?? defaultMaxBufferedBytes,
      maxCommandsPerFrame: opts.maxCommandsPerFrame ?? defaultMaxCommandsPerFrame,
      maxPendingCommands: opts.maxPendingCommands ?? defaultMaxPendingCommands,
      maxSubscriptions: opts.maxSubscriptions ?? defaultMaxSubscriptions,
      historySize: opts.historySize,
      expiredCloseDelaySeconds: opts.expiredCloseDelaySeconds ?? defaultExpiredCloseDelaySeconds,
    },
    connected(conn) {
      live.add(conn);
      addTo(byUser, conn.identity!.user, conn);
      countChanged();
    },
    async subscribed(conn, channel) {
      addTo(byChannel, channel, conn);
      try {
        await broker.subscribe(channel);
      } catch (err) {
        removeFrom(byChannel, channel, conn);
        throw err;
      }
    },
    async present(conn, channel) {
      // A connection that closed while it joined must not leave an entry behind.
      if (!conn.isOpen()) return;
      await broker.addPresence(channel, { client: conn.client, user: conn.identity!.user, ...(conn.identity!.info ? { info: conn.identity!.info } : {}) });
    },
    unsubscribed(conn, channel) {
      removeFrom(byChannel, channel, conn);
      broker.unsubscribe(channel);
      const removal = broker.removePresence(channel, conn.client).catch(report('realtime presence removal failed', channel));
      // Only a closing connection's removals are awaited (before telling it left); an open one's
      // unsubscribes must not pile up.
      if (conn.isOpen()) return;
      const list = leaving.get(conn);
      if (list === undefined) leaving.set(conn, [removal]);
      else list.push(removal);
    },
    established(conn) {
      opts.sessions?.connected(conn.identity!, conn.client);
    },
    closed(conn, wasConnected) {
      sockets.delete(conn);
      if (!wasConnected) return;
      live.delete(conn);
      removeFrom(byUser, conn.identity!.user, conn);
      countChanged();
      const { sessions } = opts;
      if (sessions === undefined) return;
      void Promise.all(leaving.get(conn) ?? []).then(() => sessions.disconnected(conn.identity!, conn.client));
    },
  };

  const applyOrder = (order: DisconnectOrder) => {
    const candidates = order.user !== undefined ? (byUser.get(order.user) ?? []) : live;
    const n = disconnectAll(
      candidates,
      (conn) =>
        conn.client !== order.exceptClient &&
        (order.session === undefined || conn.identity!.session === order.session) &&
        (order.exceptSession === undefined || conn.identity!.session !== order.exceptSession),
      { code: order.code, reason: order.reason },
    );
    if (n > 0) logger.info({ user: order.user, code: order.code, clients: n }, 'realtime clients disconnected by order');
  };
  const stopOrders = broker.onDisconnect(applyOrder);
  // The broker may have missed publications: every client reconnects and recovers from history.
  const stopResets = broker.onReset(() => {
    const n = disconnectAll(live, () => true, Disconnects.insufficientState);
    logger.warn({ clients: n }, 'realtime broker reset: clients asked to reconnect and recover');
  });

  const stopListening = broker.onPublication((pub) => {
    const subscribers = byChannel.get(pub.channel);
    if (subscribers === undefined) return;
    let frame: string;
    try {
      frame = encodePublication(pub);
    } catch (err) {
      // E.g. a BigInt in the data: one bad publication must not stop the broker's other listeners.
      logger.error({ err, channel: pub.channel, offset: pub.offset }, 'realtime publication not encodable');
      return;
    }
    // A Set tolerates deletion while iterated, which deliver() causes when it disconnects a slow client.
    for (const conn of subscribers) conn.deliver(pub, frame);
  });

  const accept: WebsocketHandler = (socket, request) => {
    if (closing) {
      socket.close(Disconnects.shutdown.code, Disconnects.shutdown.reason);
      return;
    }
    sockets.add(new Connection(socket, hub, request.ip));
  };

  return {
    async register(app) {
      for (const url of realtimePaths) {
        app.get(url, { websocket: true, schema: hiddenFromOpenApi }, accept);
      }
    },

    connectionCount: () => live.size,

    disconnect: (order) => broker.disconnect(order),

    disconnectUser(user, code, reason, options = {}) {
      const others = (conn: Connection) => conn.client !== options.exceptClient;
      return disconnectAll(byUser.get(user) ?? [], others, { code, reason });
    },

    disconnectWhere(match, code, reason) {
      return disconnectAll(live, (conn) => match(conn.identity!), { code, reason });
    },

    async close() {
      if (!closing) {
        closing = true;
        stopListening();
        stopOrders();
        stopResets();
      }
      const all = [...sockets];
      for (const conn of all) conn.disconnect(Disconnects.shutdown);
      await Promise.all(all.map((conn) => closedWithin(conn, closeGraceMs)));
      logger.info({ clients: all.length }, 'realtime gateway closed');
    },
  };
}
