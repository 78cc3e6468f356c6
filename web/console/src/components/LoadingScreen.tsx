// What an app shows while it finds out whether the agent is signed in.
import { useT } from '../i18n/i18n.ts';

export function LoadingScreen() {
  const t = useT();
  return (
    <div className="loading-screen" role="status" data-testid="loading">
      <span className="spinner" aria-hidden="true" />
      {t('common.loading')}
    </div>
  );
}
