// The messages between the Agent Console SDK (in the partner's page) and its frame (Parley's
// console on Parley's origin). Every message carries `parley: PROTOCOL`; each side takes messages
// only from the other's window and origin (docs/agent-console-sdk.md, "How it works").
import type { Agent, Chat, ErrorCode, EventMap, ModuleName, Visitor } from '../sdk/agent-console.d.ts';

export const PROTOCOL = 'agent-console/1';

export interface WireError {
  code: ErrorCode;
  message: string;
  status: number | null;
  siteIds?: number[];
}

/** What the partner's page mirrors, so `app.get` answers at once. */
export interface Snapshot {
  agent: Agent | null;
  visitors: Visitor[];
  chats: Chat[];
}

export type WireEvent = { [E in Exclude<keyof EventMap, 'error'>]: { name: E; data: EventMap[E] } }[Exclude<keyof EventMap, 'error'>];

/** From the SDK to the frame. */
export type ToFrame =
  | { parley: typeof PROTOCOL; type: 'init'; modules: ModuleName[]; display: ModuleName; language: string | null }
  | { parley: typeof PROTOCOL; type: 'do'; id: number; action: string; args: unknown[] };

/** From the frame to the SDK. */
export type ToSdk =
  | { parley: typeof PROTOCOL; type: 'ready' }
  | { parley: typeof PROTOCOL; type: 'refused'; error: WireError }
  | { parley: typeof PROTOCOL; type: 'update'; snapshot: Snapshot; events: WireEvent[] }
  | { parley: typeof PROTOCOL; type: 'reply'; id: number; ok: true; value: unknown }
  | { parley: typeof PROTOCOL; type: 'reply'; id: number; ok: false; error: WireError }
  | { parley: typeof PROTOCOL; type: 'ended'; error: WireError };

/** Whether `data` is a message of this protocol (anything else on the channel is ignored). */
export function isProtocolMessage(data: unknown): data is { parley: typeof PROTOCOL; type: string } {
  return typeof data === 'object' && data !== null && (data as { parley?: unknown }).parley === PROTOCOL && typeof (data as { type?: unknown }).type === 'string';
}
