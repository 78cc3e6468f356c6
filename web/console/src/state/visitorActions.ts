// What an agent does with visitors of the live list. The answers carry the visitor as it is now
// when the server sends one; otherwise the change is applied here (the event follows anyway).
import * as api from '../api/team.ts';
import type { VisitorPresence } from '../api/types.ts';
import { getState, setState } from './store.ts';
import { patchVisitor, upsertVisitor } from './visitorState.ts';

function isPresence(x: unknown): x is VisitorPresence {
  return typeof x === 'object' && x !== null && 'id' in x && 'online' in x;
}

function apply(visitorId: number, answer: unknown, fallback: Partial<VisitorPresence>): void {
  setState((s) => (isPresence(answer) ? upsertVisitor(s, answer) : patchVisitor(s, visitorId, fallback)));
}

export async function invite(visitorId: number, message: string): Promise<void> {
  await api.inviteVisitor(visitorId, message.trim() || undefined);
}

export async function capture(visitorId: number): Promise<void> {
  apply(visitorId, await api.captureVisitor(visitorId), { capturedBy: getState().session?.agentId ?? null });
}

export async function release(visitorId: number): Promise<void> {
  apply(visitorId, await api.releaseVisitor(visitorId), { capturedBy: null });
}

export async function ban(visitorId: number): Promise<void> {
  apply(visitorId, await api.banVisitor(visitorId), { isBanned: true });
}

export async function unban(visitorId: number): Promise<void> {
  apply(visitorId, await api.unbanVisitor(visitorId), { isBanned: false });
}
