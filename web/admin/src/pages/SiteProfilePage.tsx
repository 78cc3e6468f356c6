// The site's profile: company, size, website, phones, country, city, time zone and language.
// Saving sends only what changed (an emptied field is cleared).
import { type FormEvent, useMemo, useState } from 'react';
import { LANGS } from '../../../console/src/i18n/i18n.ts';
import { fetchSite, updateSite } from '../api/panel.ts';
import { problemText } from '../api/problems.ts';
import type { SiteProfile, SiteProfileChange } from '../api/types.ts';
import { LoadState, Page } from '../components/Page.tsx';
import { SaveActions } from '../components/Status.tsx';
import { useLoad } from '../components/useLoad.ts';
import { useT } from '../i18n/i18n.ts';

type Field = keyof SiteProfileChange;
type Draft = Record<Field, string>;

const FIELDS: Field[] = ['company', 'companySize', 'website', 'phoneNumber', 'mobilePhone', 'country', 'city', 'timeZone', 'language'];
const SIZES = ['1-10', '11-50', '51-200', '201-500', '501-1000', '1000+'];

const draftOf = (site: SiteProfile): Draft => Object.fromEntries(FIELDS.map((f) => [f, site[f] ?? ''])) as Draft;

/** The fields that differ from the saved profile; an emptied optional field becomes null. */
function changes(site: SiteProfile, draft: Draft): SiteProfileChange {
  const change: Record<string, string | null> = {};
  for (const f of FIELDS) {
    const value = draft[f].trim();
    if (value === (site[f] ?? '')) continue;
    change[f] = value === '' && f !== 'company' ? null : value;
  }
  return change as SiteProfileChange;
}

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

export function SiteProfilePage() {
  const t = useT();
  const site = useLoad(fetchSite);
  return (
    <Page id="site" intro={t('site.intro')}>
      {site.data ? <ProfileForm key={site.data.id} site={site.data} onSaved={site.setData} /> : <LoadState error={site.error} onRetry={site.reload} />}
    </Page>
  );
}

function ProfileForm({ site, onSaved }: { site: SiteProfile; onSaved: (s: SiteProfile) => void }) {
  const t = useT();
  const [draft, setDraft] = useState<Draft>(() => draftOf(site));
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const zones = useMemo(timeZones, []);
  const set = (f: Field) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [f]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const change = changes(site, draft);
    setError(null);
    if (Object.keys(change).length === 0) {
      setStatus(t('site.saved'));
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const saved = await updateSite(change);
      setDraft(draftOf(saved));
      setStatus(t('site.saved'));
      onSaved(saved);
    } catch (err) {
      setError(problemText(err, t('common.network')));
    } finally {
      setBusy(false);
    }
  }

  const options = (values: string[], label: (v: string) => string = (v) => v) => (
    <>
      <option value="">{t('common.notSet')}</option>
      {values.map((v) => (
        <option key={v} value={v}>
          {label(v)}
        </option>
      ))}
    </>
  );

  return (
    <form className="card form-grid" onSubmit={submit} data-testid="site-form">
      <label className="field span-2">
        <span>{t('site.company')}</span>
        <input required maxLength={200} autoComplete="organization" value={draft.company} onChange={set('company')} data-testid="site-company" />
      </label>
      <label className="field">
        <span>{t('site.companySize')}</span>
        <select value={draft.companySize} onChange={set('companySize')} data-testid="site-companySize">
          {options(draft.companySize && !SIZES.includes(draft.companySize) ? [draft.companySize, ...SIZES] : SIZES, (size) => t('site.companySizeOption', { size }))}
        </select>
      </label>
      <label className="field">
        <span>{t('site.website')}</span>
        <input type="url" maxLength={2048} autoComplete="url" value={draft.website} onChange={set('website')} aria-describedby="site-website-hint" data-testid="site-website" />
        <small className="hint" id="site-website-hint">
          {t('site.websiteHint')}
        </small>
      </label>
      <label className="field">
        <span>{t('site.phoneNumber')}</span>
        <input type="tel" maxLength={50} autoComplete="tel" value={draft.phoneNumber} onChange={set('phoneNumber')} data-testid="site-phoneNumber" />
      </label>
      <label className="field">
        <span>{t('site.mobilePhone')}</span>
        <input type="tel" maxLength={50} value={draft.mobilePhone} onChange={set('mobilePhone')} data-testid="site-mobilePhone" />
      </label>
      <label className="field">
        <span>{t('site.country')}</span>
        <input maxLength={100} autoComplete="country" value={draft.country} onChange={set('country')} aria-describedby="site-country-hint" data-testid="site-country" />
        <small className="hint" id="site-country-hint">
          {t('site.countryHint')}
        </small>
      </label>
      <label className="field">
        <span>{t('site.city')}</span>
        <input maxLength={100} autoComplete="address-level2" value={draft.city} onChange={set('city')} data-testid="site-city" />
      </label>
      <label className="field">
        <span>{t('site.timeZone')}</span>
        <select value={draft.timeZone} onChange={set('timeZone')} data-testid="site-timeZone">
          {options(draft.timeZone && !zones.includes(draft.timeZone) ? [draft.timeZone, ...zones] : zones)}
        </select>
      </label>
      <label className="field">
        <span>{t('site.language')}</span>
        <select value={draft.language} onChange={set('language')} data-testid="site-language">
          {options(
            LANGS.map((l) => l.code),
            (code) => LANGS.find((l) => l.code === code)?.label ?? code,
          )}
        </select>
      </label>
      <SaveActions prefix="site" error={error} status={status} busy={busy} className="span-2" />
    </form>
  );
}
