// A visitor's display name that follows the live list (a name given later shows at once).
import { useEffect } from 'react';
import { useT } from '../i18n/i18n.ts';
import { useStore } from '../state/store.ts';
import { ensureVisitorCard } from '../state/visitorCards.ts';

export function useVisitorName(visitorId: number): string {
  const t = useT();
  const v = useStore((s) => s.visitors[visitorId] ?? s.visitorCards[visitorId]);
  useEffect(() => ensureVisitorCard(visitorId), [visitorId]);
  return v?.name || v?.email || t('visitor.anonymous', { id: visitorId });
}
