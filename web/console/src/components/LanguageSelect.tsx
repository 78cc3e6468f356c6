// The language switch (saved in this browser).
import { LANGS, type Lang, setLang, useLang, useT } from '../i18n/i18n.ts';

export function LanguageSelect() {
  const t = useT();
  const lang = useLang();
  return (
    <label className="compact-field">
      <span className="visually-hidden">{t('header.language')}</span>
      <select value={lang} onChange={(e) => setLang(e.target.value as Lang)} data-testid="language-select" aria-label={t('header.language')}>
        {LANGS.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}
