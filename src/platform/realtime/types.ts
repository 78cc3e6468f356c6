// Contracts between the Centrifugo-protocol gateway and the rest of Parley.
// The gateway knows nothing of agents or chats: it asks an Authorizer who a token belongs to and
// which channels that identity may read, and it delivers what a Broker publishes.

/** Where a channel's stream stands: Centrifugo's offset and epoch. */
export interface StreamPosition {
  offset: number;
  epoch: string;
}

/** One publication as stored and delivered. */
export interface Publication {
  channel: string;
  offset: number;
  epoch: string;
  data: unknown;
  /** `data` as JSON text, when the broker already made it (the gateway then does not encode it again). */
  raw?: string;
}

/** Who is on a connection, as the Authorizer resolved it from the connect token. */
export interface RealtimeIdentity {
  /** Centrifugo's `user`, e.g. `agent:12` or `visitor:7`. */
  user: string;
  /** Channels the server subscribes this connection to at connect (server-side subscriptions). */
  channels: string[];
  /** Unix seconds when the credential expires; the gateway reports `expires`/`ttl` when set. */
  expiresAt?: number;
  /** The login session the credential belongs to, so that revoking it can end its connections anywhere. */
  session?: string;
  /** Shown to others in presence (`conn_info`); keep it small and free of secrets. */
  info?: Record<string, unknown>;
  /** Opaque to the gateway; handed back to canSubscribe. */
  context?: unknown;
}

/** Thrown by Authorizer.authenticate for a token that was valid but has expired (Centrifugo error 109). */
export class TokenExpiredError extends Error {
  override name = 'TokenExpiredError';
}

export interface Authorizer {
  /**
   * Resolves a connect token (the connect command's `token`, or `data.settings.token` as the
   * operator-panel spec sends it). Returns null for a token that is not valid at all, or not from
   * `address` (the client's, as the HTTP layer sees it behind trusted proxies).
   */
  authenticate(token: string, address?: string): Promise<RealtimeIdentity | null>;
  /** Whether this identity may subscribe to `channel` from the client side. */
  canSubscribe(identity: RealtimeIdentity, channel: string): Promise<boolean>;
  /** Whether this identity may read who is on `channel` (presence, presence_stats); it must be subscribed too. */
  canReadPresence?(identity: RealtimeIdentity, channel: string): boolean;
}

/** One client in a channel's presence: Centrifugo's ClientInfo. */
export interface PresenceEntry {
  client: string;
  user: string;
  info?: Record<string, unknown>;
}

/** What a history read returns: the stream's top and the publications asked for, oldest first. */
export interface HistoryResult {
  position: StreamPosition;
  publications: Publication[];
}

/** A read of a channel's history. */
export interface HistoryQuery {
  /** Only publications after this offset (in the current epoch). */
  sinceOffset?: number;
  /** At most this many; with `sinceOffset` the first ones after it, without it the newest ones. */
  limit: number;
}

/** A cluster-wide order to end connections: every node ends its own matching ones. */
export interface DisconnectOrder {
  user?: string;
  session?: string;
  /** A client id spared by the order (e.g. the connection that caused it). */
  exceptClient?: string;
  /** A session spared by the order (e.g. the new login that replaces the others). */
  exceptSession?: string;
  code: number;
  reason: string;
}

export interface PublishOptions {
  /** Makes a repeated publish (a retry after a crash) a no-op; remembered for a day. */
  idempotencyKey?: string | undefined;
}

/**
 * Streams of publications per channel, with history for recovery and presence. The in-memory broker
 * serves one node; the Redis broker serves many, keeping offsets, epochs, history and presence in
 * Redis so that a client may reconnect to any node and recover.
 */
export interface Broker {
  /**
   * Appends to the channel's stream (offset, epoch and history move together) and fans it out. A
   * publish repeated with the same idempotency key returns the first one's position and does nothing.
   */
  publish(channel: string, data: unknown, options?: PublishOptions): Promise<Publication>;
  /** Current position of a channel (offset 0 and a fresh epoch for a channel never published to). */
  position(channel: string): Promise<StreamPosition>;
  /** Reads the channel's retained history (bounded by size and TTL). */
  history(channel: string, query: HistoryQuery): Promise<HistoryResult>;
  /**
   * This node wants the channel's publications (reference-counted per call); resolves once none
   * published afterwards can be missed. Call before reading the position or history.
   */
  subscribe(channel: string): Promise<void>;
  /** Drops one subscribe() of the channel. */
  unsubscribe(channel: string): void;
  /** Registers a listener for every publication this node subscribed to; returns the unsubscribe function. */
  onPublication(listener: (pub: Publication) => void): () => void;
  addPresence(channel: string, entry: PresenceEntry): Promise<void>;
  removePresence(channel: string, client: string): Promise<void>;
  presence(channel: string): Promise<PresenceEntry[]>;
  /** Sends a disconnect order to every node, this one included. */
  disconnect(order: DisconnectOrder): Promise<void>;
  /** Registers the handler of disconnect orders. */
  onDisconnect(listener: (order: DisconnectOrder) => void): () => void;
  /**
   * Registers a listener told when this node may have missed publications (e.g. its Redis
   * connection dropped): its clients must reconnect and recover.
   */
  onReset(listener: () => void): () => void;
  /** Whether the broker can publish and deliver now (readiness). */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** How long and how much history a broker keeps, Centrifugo-style. */
export interface HistoryOptions {
  /** Publications kept per channel (0 disables history and so recovery). */
  size: number;
  /** Seconds the history of a channel lives after its last publication. */
  ttlSeconds: number;
  /** Seconds a channel's offset and epoch live after its last use; longer than ttlSeconds. */
  metaTtlSeconds: number;
}

/** The pino-style logger the gateway writes to (a pino or Fastify logger fits). */
export interface RealtimeLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
