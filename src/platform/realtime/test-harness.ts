// What the gateway's tests share: the gateway on a real Fastify server and port, the real
// centrifuge-js client, and a raw WebSocket for when the wire itself is under test.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import websocketPlugin from '@fastify/websocket';
import { Centrifuge, type ConnectedContext } from 'centrifuge';
import Fastify from 'fastify';
import { createRealtimeGateway, type RealtimeGateway, type RealtimeGatewayOptions } from './gateway.ts';
import { MemoryBroker } from './memory-broker.ts';
import { type Authorizer, type Broker, type RealtimeIdentity, type RealtimeLogger, TokenExpiredError } from './types.ts';

// Only a guard against a hang: every wait below ends on an event long before this.
const guardMs = 5000;

/** Rejects if `promise` has not settled within `ms`; a guard against hangs, never a speed check. */
export function within<T>(promise: Promise<T>, what: string, ms = guardMs): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** The context an identity carries here: the id of the token it came from, as Parley's does. */
export interface TokenContext {
  tokenId: string;
}

const agent: RealtimeIdentity = { user: 'agent:1', channels: ['agent:1', 'site:9'], context: { tokenId: 't1' } };
const otherAgent: RealtimeIdentity = { user: 'agent:2', channels: ['agent:2'], context: { tokenId: 't2' } };

function expiringIn(seconds: number): RealtimeIdentity {
  return { ...otherAgent, expiresAt: Date.now() / 1000 + seconds };
}

/**
 * Tokens name identities: `agent-1` and `agent-1-phone` (the same user by two tokens), `agent-2`, and
 * `agent-2` credentials that expire: `expiring` in an hour, `brief` in 0.3 s, `lasting` in 40 days,
 * `lapsed` a second ago; `expired` is refused as expired. 'public:' channels are open to anyone.
 */
export const authorizer: Authorizer = {
  async authenticate(token) {
    if (token === 'expired') throw new TokenExpiredError('token expired');
    const identities: Record<string, () => RealtimeIdentity> = {
      'agent-1': () => agent,
      'agent-1-phone': () => ({ ...agent, context: { tokenId: 't1-phone' } }),
      'agent-2': () => otherAgent,
      expiring: () => expiringIn(3600),
      brief: () => expiringIn(0.3),
      lasting: () => expiringIn(40 * 24 * 3600),
      lapsed: () => expiringIn(-1),
    };
    return identities[token]?.() ?? null;
  },
  async canSubscribe(_identity, channel) {
    return channel.startsWith('public:');
  },
};

/** The history the test gateways keep: enough for any test, long enough to never expire in one. */
export const testHistory = { size: 100, ttlSeconds: 600, metaTtlSeconds: 3600 };

/** A gateway under test and what it reported. */
export interface Harness {
  url: string;
  broker: Broker;
  gateway: RealtimeGateway;
  /** Every connection count onConnectionCountChange reported, in order. */
  counts: number[];
  errors: unknown[];
}

/** Starts the gateway on a free port with the test authorizer; when `t` ends, stops it and checks no error was logged. */
export async function startGateway(t: TestContext, overrides: Partial<RealtimeGatewayOptions> = {}): Promise<Harness> {
  const errors: unknown[] = [];
  const noop = () => {};
  const logger: RealtimeLogger = { info: noop, warn: noop, debug: noop, error: (obj) => errors.push(obj) };
  const app = Fastify();
  await app.register(websocketPlugin, { options: { maxPayload: 1024 * 1024 } });
  const broker = overrides.broker ?? new MemoryBroker({ history: testHistory });
  const counts: number[] = [];
  const gateway = createRealtimeGateway({
    authorizer,
    broker,
    pingIntervalSeconds: 25,
    maxMessageBytes: 64 * 1024,
    logger,
    historySize: testHistory.size,
    onConnectionCountChange: (n) => counts.push(n),
    ...overrides,
  });
  await gateway.register(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  t.after(async () => {
    await gateway.close();
    await app.close();
    await broker.close();
    assert.deepEqual(errors, [], 'nothing logged as an error');
  });
  return { url: `ws://127.0.0.1:${port}/connection/websocket`, broker, gateway, counts, errors };
}

/** A centrifuge-js client that reconnects quickly and is disconnected when `t` ends. */
export function centrifuge(t: TestContext, url: string, options: Record<string, unknown>): Centrifuge {
  const client = new Centrifuge(url, { websocket: WebSocket, minReconnectDelay: 50, ...options });
  // An 'error' event without a listener makes the client stop itself.
  client.on('error', () => {});
  t.after(() => client.disconnect());
  return client;
}

/** The client's next 'connected' event. */
export function connected(client: Centrifuge): Promise<ConnectedContext> {
  return within(new Promise((resolve) => client.once('connected', resolve)), 'connected');
}

/** A WebSocket that reads the server's lines one at a time. */
export class RawClient {
  readonly ws: WebSocket;
  readonly closed: Promise<CloseEvent>;
  /** WebSocket messages received; several lines may share one. */
  frames = 0;
  private readonly lines: unknown[] = [];
  private waiting: ((line: unknown) => void) | null = null;

  constructor(t: TestContext, url: string) {
    this.ws = new WebSocket(url);
    this.closed = new Promise((resolve) => this.ws.addEventListener('close', resolve));
    this.ws.addEventListener('message', (event) => {
      this.frames++;
      for (const line of String(event.data).split('\n')) {
        const parsed: unknown = JSON.parse(line);
        if (this.waiting !== null) {
          const resolve = this.waiting;
          this.waiting = null;
          resolve(parsed);
        } else {
          this.lines.push(parsed);
        }
      }
    });
    t.after(() => this.ws.close());
  }

  opened(): Promise<void> {
    return within(new Promise((resolve) => this.ws.addEventListener('open', () => resolve())), 'open');
  }

  send(lines: object[]): void {
    this.ws.send(lines.map((line) => JSON.stringify(line)).join('\n'));
  }

  next(): Promise<unknown> {
    if (this.lines.length > 0) return Promise.resolve(this.lines.shift());
    return within(new Promise((resolve) => (this.waiting = resolve)), 'a line from the server');
  }

  closeEvent(): Promise<CloseEvent> {
    return within(this.closed, 'close');
  }
}
