// The unmodified centrifuge client, connected the way the operator-panel spec does it, with a
// helper that waits for the next publication matching a predicate.
import type { TestContext } from 'node:test';
import { Centrifuge, type PublicationContext, type ServerSubscribedContext } from 'centrifuge';

export interface LiveClient {
  client: Centrifuge;
  publications: PublicationContext[];
  /** Resolves with the first publication (already received or yet to come) that matches. */
  next(match: (data: { event: string; [k: string]: unknown }) => boolean, what?: string): Promise<{ event: string; [k: string]: unknown }>;
  close(): void;
}

/** Connects with `data: {application, settings: {token}}` and waits until connected. */
export async function connectLive(baseUrl: string, token: string, path = '/centrifugo/connection/websocket'): Promise<LiveClient> {
  const client = new Centrifuge(`${baseUrl.replace(/^http/, 'ws')}${path}`, {
    websocket: WebSocket,
    data: { application: 'notifications', settings: { token } },
  });
  const publications: PublicationContext[] = [];
  const waiters: { match: (d: never) => boolean; resolve: (d: never) => void }[] = [];
  client.on('publication', (ctx) => {
    publications.push(ctx);
    for (const w of [...waiters]) {
      if (w.match(ctx.data as never)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(ctx.data as never);
      }
    }
  });
  const connected = new Promise<void>((resolve, reject) => {
    client.once('connected', () => resolve());
    client.once('disconnected', (ctx) => reject(new Error(`disconnected: ${ctx.code} ${ctx.reason}`)));
  });
  client.connect();
  await connected;
  return {
    client,
    publications,
    next(match, what = 'publication') {
      const seen = publications.find((p) => match(p.data));
      if (seen) return Promise.resolve(seen.data);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 10_000);
        waiters.push({
          match: match as (d: never) => boolean,
          resolve: (d: never) => {
            clearTimeout(timer);
            resolve(d);
          },
        });
      });
    },
    close: () => client.disconnect(),
  };
}

/**
 * A spec-shaped centrifuge client that reconnects quickly and records every publication and
 * every (re)subscription; it connects at once and is disconnected when the test ends.
 */
export function recordingClient(t: TestContext, baseUrl: string, token: string) {
  const live = new Centrifuge(`${baseUrl.replace(/^http/, 'ws')}/centrifugo/connection/websocket`, {
    websocket: WebSocket,
    data: { application: 'notifications', settings: { token } },
    minReconnectDelay: 50,
    maxReconnectDelay: 300,
  });
  live.on('error', () => {});
  t.after(() => live.disconnect());
  const pubs: PublicationContext[] = [];
  const subscribed: ServerSubscribedContext[] = [];
  live.on('publication', (ctx) => pubs.push(ctx));
  live.on('subscribed', (ctx) => subscribed.push(ctx));
  const connected = new Promise<void>((resolve) => live.once('connected', () => resolve()));
  live.connect();
  return { live, pubs, subscribed, connected };
}

/** Polls until `check` holds; the guard only stops a hang. */
export async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
