// The real-time gateway: Centrifugo's WebSocket endpoints on Parley's own Fastify server, so the
// unmodified centrifuge-js client connects to Parley as it would to Centrifugo. It keeps the
// indexes that make delivery cost O(subscribers of the channel) and user-wide disconnects cheap.

import type { WebsocketHandler } from '@fastify/websocket';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { Connection, type ConnectionHub } from './connection.ts';
import { Disconnects, encodePublication } from './protocol.ts';
import type { Authorizer, Broker, RealtimeLogger } from './types.ts';

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
}

/** The running gateway, as main.ts and the modules that end sessions see it. */
export interface RealtimeGateway {
  /** Adds the WebSocket routes; @fastify/websocket must already be registered on `app`. */
  register(app: FastifyInstance): Promise<void>;
  /** Connections that completed connect. */
  connectionCount(): number;
  /** Disconnects every connection of `user` (but `exceptClient`); returns how many. */
  disconnectUser(user: string, code: number, reason: string, opts?: { exceptClient?: string }): number;
  /** Disconnects everyone with 3001 shutdown and stops delivering; resolves when the sockets are closed. */
  close(): Promise<void>;
}

/** Where centrifuge-js connects: Centrifugo's path, and the same under the /centrifugo prefix. */
export const realtimePaths = ['/connection/websocket', '/centrifugo/connection/websocket'] as const;

const defaultMaxBufferedBytes = 4 * 1024 * 1024;
const defaultConnectTimeoutSeconds = 10;
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
  let connected = 0;
  let closing = false;

  const countChanged = (delta: number) => {
    connected += delta;
    opts.onConnectionCountChange?.(connected);
  };

  const hub: ConnectionHub = {
    authorizer: opts.authorizer,
    broker,
    logger,
    settings: {
      pingIntervalSeconds: opts.pingIntervalSeconds,
      connectTimeoutSeconds: opts.connectTimeoutSeconds ?? defaultConnectTimeoutSeconds,
      maxMessageBytes: opts.maxMessageBytes,
      maxBufferedBytes: opts.maxBufferedBytes ?? defaultMaxBufferedBytes,
    },
    connected(conn) {
      addTo(byUser, conn.identity!.user, conn);
      countChanged(1);
    },
    subscribed: (conn, channel) => addTo(byChannel, channel, conn),
    unsubscribed: (conn, channel) => removeFrom(byChannel, channel, conn),
    closed(conn, wasConnected) {
      sockets.delete(conn);
      for (const channel of conn.channels()) removeFrom(byChannel, channel, conn);
      if (wasConnected) {
        removeFrom(byUser, conn.identity!.user, conn);
        countChanged(-1);
      }
    },
  };

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

  const accept: WebsocketHandler = (socket) => {
    if (closing) {
      socket.close(Disconnects.shutdown.code, Disconnects.shutdown.reason);
      return;
    }
    sockets.add(new Connection(socket, hub));
  };

  return {
    async register(app) {
      for (const url of realtimePaths) {
        app.get(url, { websocket: true, schema: hiddenFromOpenApi }, accept);
      }
    },

    connectionCount: () => connected,

    disconnectUser(user, code, reason, options = {}) {
      let n = 0;
      for (const conn of [...(byUser.get(user) ?? [])]) {
        if (conn.client === options.exceptClient) continue;
        conn.disconnect({ code, reason });
        n++;
      }
      return n;
    },

    async close() {
      if (!closing) {
        closing = true;
        stopListening();
      }
      const all = [...sockets];
      for (const conn of all) conn.disconnect(Disconnects.shutdown);
      await Promise.all(all.map((conn) => closedWithin(conn, closeGraceMs)));
      logger.info({ clients: all.length }, 'realtime gateway closed');
    },
  };
}
