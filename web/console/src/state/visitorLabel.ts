// How a visitor is named everywhere: their name, else their e-mail, else "Visitor #id".
import { t } from '../i18n/i18n.ts';
import { getState } from './store.ts';
import { ensureVisitorCard } from './visitorCards.ts';

export function visitorLabel(visitorId: number): string {
  const s = getState();
  const v = s.visitors[visitorId] ?? s.visitorCards[visitorId];
  if (!v) ensureVisitorCard(visitorId);
  return v?.name || v?.email || t('visitor.anonymous', { id: visitorId });
}
