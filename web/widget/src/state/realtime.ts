// The real-time connection (Centrifugo's protocol, docs/realtime.md). The server subscribes the
// visitor to `visitor:{visitorId}` by itself; publications arrive on the client's 'publication'
// event. After every connection (the first, and every reconnection, recovered or not) the chat is
// read again over REST: cheap, and nothing missed while away can then be lost; messages are keyed
// by seq, so nothing shows twice either.
import { Centrifuge } from 'centrifuge';
import { auth } from '../api/client.ts';
import type { VisitorEvent } from '../api/types.ts';
import { refreshSession } from './session.ts';

let client: Centrifuge | null = null;

export interface RealtimeHandlers {
  event(e: VisitorEvent): void;
  connected(): void;
}

export function connectRealtime(handlers: RealtimeHandlers): void {
  client?.disconnect();
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  client = new Centrifuge(`${scheme}://${location.host}/connection/websocket`, {
    token: auth.token,
    getToken: async () => (await refreshSession()).token,
  });
  client.on('publication', (ctx) => {
    const data = ctx.data as VisitorEvent | null;
    if (data && typeof data.event === 'string') handlers.event(data);
  });
  client.on('connected', () => handlers.connected());
  client.connect();
}
