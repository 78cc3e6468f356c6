// Says when live updates are not flowing. Shown after the first connect went wrong or a later
// drop, so a normal start (a few hundred ms) does not flash it.
import { useEffect, useState } from 'react';
import { useT } from '../i18n/i18n.ts';
import { useStore } from '../state/store.ts';

const FIRST_CONNECT_GRACE_MS = 1500;

export function ConnectionBanner() {
  const t = useT();
  const connection = useStore((s) => s.connection);
  const everConnected = useStore((s) => s.everConnected);
  const [graceOver, setGraceOver] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setGraceOver(true), FIRST_CONNECT_GRACE_MS);
    return () => clearTimeout(timer);
  }, []);
  const down = connection === 'connecting' || connection === 'disconnected';
  if (!down || (!everConnected && !graceOver)) return null;
  return (
    <div className="connection-banner" role="status" data-testid="connection-banner" data-state={connection}>
      <span className="spinner" aria-hidden="true" />
      {everConnected ? t('connection.reconnecting') : t('connection.connecting')}
    </div>
  );
}
