// Shown when the console must stop: blocked by an admin, signed in elsewhere, signed out in
// another tab, or a session that cannot go on. Says what happened and what the agent can do.
import { useT } from '../i18n/i18n.ts';
import { useStore } from '../state/store.ts';
import { BrandMark } from './BrandMark.tsx';

export function EndedScreen() {
  const t = useT();
  const reason = useStore((s) => s.endReason) ?? 'expired';
  const brand = useStore((s) => s.brand);
  return (
    <div className="signin-page">
      <main className="signin-card ended-card" aria-labelledby="ended-title" data-testid="ended-screen" data-reason={reason}>
        <div className="signin-brand">
          <BrandMark brand={brand} />
        </div>
        <h1 id="ended-title">{t(`ended.${reason}.title`)}</h1>
        <p>{t(`ended.${reason}.text`)}</p>
        {reason !== 'blocked' && (
          <button type="button" className="button primary" onClick={() => location.reload()} data-testid="ended-reload">
            {reason === 'elsewhere' ? t('ended.useHere') : t('ended.signInAgain')}
          </button>
        )}
      </main>
    </div>
  );
}
