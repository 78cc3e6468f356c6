// The frame's side of the postMessage protocol (protocol.ts). Only the parent window may talk to
// the frame (`event.source === window.parent`); the first message pins the parent's origin, and
// later messages and replies use it. Before that, the frame's messages go to any origin: they
// carry only a wanted size and a title, nothing about the visitor.
import type { FrameMessage, HostMessage } from './protocol.ts';

type Unmarked<T> = T extends unknown ? Omit<T, 'parley'> : never;

const embedded = window.parent !== window;
let hostOrigin = '*';

/** Whether the frame runs inside a host page (else it is opened on its own, full page). */
export const isEmbedded = embedded;

export function postToHost(message: Unmarked<FrameMessage>): void {
  if (embedded) window.parent.postMessage({ parley: 1, ...message }, hostOrigin);
}

export function listenToHost(handle: (message: HostMessage) => void): void {
  addEventListener('message', (event: MessageEvent) => {
    if (!embedded || event.source !== window.parent) return;
    if (hostOrigin !== '*' && event.origin !== hostOrigin) return;
    const data = event.data as HostMessage | null;
    if (data?.parley !== 1) return;
    // An opaque origin ("null": a sandboxed or file: page) cannot be a postMessage target.
    if (event.origin !== 'null') hostOrigin = event.origin;
    handle(data);
  });
  postToHost({ type: 'ready' });
}
