// The transport side of one client: the only code that touches the `ws` socket. It batches what is
// written while a command frame is processed, watches how much the client leaves unread, and ends
// the socket the way centrifuge-js understands (a disconnect push, then the same code on close).

import type { RawData, WebSocket } from 'ws';
import { closeReason, type DisconnectReason, encodeDisconnect } from './protocol.ts';

/** What ClientSocket reports to the connection that owns it. */
export interface ClientSocketEvents {
  frame(data: Buffer): void;
  /** The socket closed, whoever started it. */
  closed(code: number): void;
  /** More than the allowed bytes wait unread; the owner decides to disconnect. */
  slow(buffered: number): void;
  error(err: Error): void;
}

function toBuffer(data: RawData): Buffer {
  return Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** A WebSocket carrying newline-delimited JSON frames, with batching and a send-buffer cap. */
export class ClientSocket {
  /** Settles when the socket has closed. */
  readonly closed: Promise<void>;
  private readonly socket: WebSocket;
  private readonly maxBufferedBytes: number;
  private readonly events: ClientSocketEvents;
  // Non-null between batch() and flush(): lines collected to go out as one frame.
  private out: string[] | null = null;

  constructor(socket: WebSocket, maxBufferedBytes: number, events: ClientSocketEvents) {
    this.socket = socket;
    this.maxBufferedBytes = maxBufferedBytes;
    this.events = events;
    this.closed = new Promise((resolve) => {
      socket.once('close', (code: number) => {
        events.closed(code);
        resolve();
      });
    });
    // ws reports protocol errors (e.g. a frame over maxPayload) as 'error' before closing; unhandled, they would crash.
    socket.on('error', (err) => events.error(err));
    socket.on('message', (data) => events.frame(toBuffer(data)));
  }

  /** Collects writes until flush(), so the replies to one command frame leave as one frame. */
  batch(): void {
    this.out ??= [];
  }

  /** Sends what batch() collected. */
  flush(): void {
    const out = this.out;
    this.out = null;
    if (out !== null && out.length > 0) this.send(out.join('\n'));
  }

  /** Queues one reply or push behind everything written before it. */
  write(line: string): void {
    if (this.out !== null) this.out.push(line);
    else this.send(line);
  }

  /** Sends at once, ahead of a batch in progress; for frames with no order to keep, like pings. */
  sendNow(line: string): void {
    this.send(line);
  }

  /** Sends what is batched and, if `push`, a disconnect push; then closes with the same code and reason. */
  close(d: DisconnectReason, push: boolean): void {
    const lines = this.out ?? [];
    this.out = null;
    if (push) lines.push(encodeDisconnect(d));
    if (lines.length > 0 && this.isOpen()) this.socket.send(lines.join('\n'));
    try {
      this.socket.close(d.code, closeReason(d.reason));
    } catch {
      // Only an invalid close code from a caller gets here; the socket must go all the same.
      this.socket.terminate();
    }
  }

  /** Drops the socket without a close handshake, for a peer that does not answer one. */
  terminate(): void {
    this.out = null;
    this.socket.terminate();
  }

  private isOpen(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  private send(data: string): void {
    if (!this.isOpen()) return;
    this.socket.send(data);
    const buffered = this.socket.bufferedAmount;
    if (buffered > this.maxBufferedBytes) this.events.slow(buffered);
  }
}
