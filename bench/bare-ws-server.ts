// The baseline for the idle-connection benchmark: a `ws` WebSocketServer that accepts sockets and
// holds them, nothing else. Started with server-probe.ts preloaded; reports its port over IPC.
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
// Without an error listener a client's reset would be an unhandled 'error' event and crash the server.
wss.on('connection', (socket) => socket.on('error', () => {}));
wss.on('listening', () => {
  const address = wss.address();
  process.send?.({ type: 'listening', port: typeof address === 'object' && address !== null ? address.port : 0 });
});
