// Names (and a bank customer's id) of visitors who are not on the live list (a chat's visitor who
// left the site, or one in history): fetched once each, when something first needs to show them.
import { fetchVisitor } from '../api/team.ts';
import { getState, setState } from './store.ts';

const asked = new Set<number>();

/** Makes sure the visitor's name will be known; a failed read is tried again at the next need. */
export function ensureVisitorCard(visitorId: number): void {
  const s = getState();
  if (s.visitors[visitorId] || s.visitorCards[visitorId] || asked.has(visitorId)) return;
  asked.add(visitorId);
  fetchVisitor(visitorId).then(
    (v) => setState((st) => ({ ...st, visitorCards: { ...st.visitorCards, [visitorId]: { name: v.name, email: v.email, customerId: customerIdOf(v.info) } } })),
    () => asked.delete(visitorId),
  );
}

/** The bank's id of a signed-in customer (a chat from the mobile app's WebView), when there is one. */
export function customerIdOf(info: Record<string, unknown> | undefined): string | null {
  const id = info?.customerId;
  return (typeof id === 'string' && id !== '') || typeof id === 'number' ? String(id) : null;
}
