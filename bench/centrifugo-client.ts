// A real-time client as lean as a bench needs: a plain `ws` socket speaking Centrifugo's JSON
// protocol the way centrifuge-js does (connect command with the token in data.settings, pong on
// every ping), and handing every other frame, raw, to the caller with the time it arrived.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

export interface CentrifugoConnectOptions {
  url: string;
  /** Agent or visitor token; omitted for a plain socket that only opens (the bare-ws baseline). */
  token?: string | undefined;
  localAddress?: string | undefined;
  /** Every frame but pings and the connect reply, with performance.now() at its arrival. */
  onFrame?: ((frame: string, at: number) => void) | undefined;
  /** Called once if the socket closes after it connected. */
  onClose?: ((code: number) => void) | undefined;
  timeoutMs?: number;
}

/** The connect command centrifuge-js sends with Parley's `{application, settings: {token}}` data. */
export function connectCommand(token: string): string {
  return JSON.stringify({ id: 1, connect: { data: { application: 'notifications', settings: { token } } } });
}

/** Opens a socket and, with a token, completes Centrifugo's connect; resolves once connected. */
export function connectCentrifugo(opts: CentrifugoConnectOptions): Promise<WebSocket> {
  const socket = new WebSocket(opts.url, { localAddress: opts.localAddress, perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    let connected = false;
    const timer = setTimeout(() => fail(new Error('connect timed out')), opts.timeoutMs ?? 30_000);
    function fail(err: Error): void {
      clearTimeout(timer);
      socket.terminate();
      reject(err);
    }
    function done(): void {
      clearTimeout(timer);
      connected = true;
      resolve(socket);
    }
    socket.on('error', (err) => {
      if (!connected) fail(err);
    });
    socket.on('close', (code) => {
      if (connected) opts.onClose?.(code);
      else fail(new Error(`closed with ${code} before connecting`));
    });
    socket.on('open', () => {
      if (opts.token === undefined) return done();
      socket.send(connectCommand(opts.token));
    });
    socket.on('message', (data: Buffer) => {
      const at = performance.now();
      const frame = data.toString('utf8');
      // Protocol v2: the server pings with an empty command and the client answers with one.
      if (frame === '{}') {
        socket.send('{}');
        return;
      }
      if (!connected) {
        const reply = JSON.parse(frame.split('\n')[0] ?? '{}') as { connect?: unknown; error?: { code: number; message: string } };
        if (reply.connect !== undefined) done();
        else fail(new Error(`connect refused: ${JSON.stringify(reply.error ?? reply)}`));
        return;
      }
      opts.onFrame?.(frame, at);
    });
  });
}
