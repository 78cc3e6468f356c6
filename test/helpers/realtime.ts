// The unmodified centrifuge client, connected the way the operator-panel spec does it, with a
// helper that waits for the next publication matching a predicate.
import { Centrifuge, type PublicationContext } from 'centrifuge';

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
