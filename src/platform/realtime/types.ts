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
}

/** Who is on a connection, as the Authorizer resolved it from the connect token. */
export interface RealtimeIdentity {
  /** Centrifugo's `user`, e.g. `agent:12` or `visitor:7`. */
  user: string;
  /** Channels the server subscribes this connection to at connect (server-side subscriptions). */
  channels: string[];
  /** Unix seconds when the credential expires; the gateway reports `expires`/`ttl` when set. */
  expiresAt?: number;
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
   * operator-panel spec sends it). Returns null for a token that is not valid at all.
   */
  authenticate(token: string): Promise<RealtimeIdentity | null>;
  /** Whether this identity may subscribe to `channel` from the client side. */
  canSubscribe(identity: RealtimeIdentity, channel: string): Promise<boolean>;
}

/**
 * Publishes to channels and hands every publication to local listeners. The in-memory broker serves
 * one node; a Redis broker (later) will serve many, keeping offsets, epochs and history in Redis.
 */
export interface Broker {
  publish(channel: string, data: unknown): Promise<Publication>;
  /** Current position of a channel (offset 0 and a fresh epoch for a channel never published to). */
  position(channel: string): Promise<StreamPosition>;
  /** Registers a listener for every publication on any channel; returns the unsubscribe function. */
  onPublication(listener: (pub: Publication) => void): () => void;
  close(): Promise<void>;
}

/** The pino-style logger the gateway writes to (a pino or Fastify logger fits). */
export interface RealtimeLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
