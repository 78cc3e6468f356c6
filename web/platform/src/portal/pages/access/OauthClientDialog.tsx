// A new OAuth client: its name and the scopes it may be granted (docs/partner-api.md#scopes), and,
// for site data, whether every site or only some. What the server refuses is said at its field.
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError } from '../../../../../console/src/api/http.ts';
import { errorsByField, problemText } from '../../../../../admin/src/api/problems.ts';
import { describedBy, FieldProblem } from '../../../../../admin/src/components/FieldProblem.tsx';
import { ErrorLine } from '../../../../../admin/src/components/Status.tsx';
import { Dialog } from '../../../../../console/src/components/Dialog.tsx';
import { FormActions } from '../../../../../console/src/components/FormActions.tsx';
import { type ClientScope, createOauthClient, listSiteChoices, type OauthClientWithSecret, type SiteChoice } from '../../api/access.ts';
import { type Key, useT } from '../../i18n.ts';

/** Every scope a client may be given, with its words; keyed by ClientScope, so none is missing. */
const SCOPES: Record<ClientScope, { label: Key; hint: Key }> = {
  'partner-api': { label: 'oauth.scope.partnerApi', hint: 'oauth.scope.partnerApiHint' },
  'site-data:read': { label: 'oauth.scope.read', hint: 'oauth.scope.readHint' },
  'site-data:write': { label: 'oauth.scope.write', hint: 'oauth.scope.writeHint' },
  reports: { label: 'oauth.scope.reports', hint: 'oauth.scope.reportsHint' },
};
const SCOPE_NAMES = Object.keys(SCOPES) as ClientScope[];
const testIdOf = (scope: ClientScope) => `oauth-scope-${scope.replace(':', '-')}`;

interface Props {
  onClose: () => void;
  /** The new client with its secret (for the page to show once). */
  onCreated: (client: OauthClientWithSecret) => void;
}

type Problems = Partial<Record<'name' | 'scopes' | 'sites', string>>;

export function OauthClientDialog({ onClose, onCreated }: Props) {
  const t = useT();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ClientScope[]>([]);
  const [someSites, setSomeSites] = useState(false);
  const [siteIds, setSiteIds] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  // Site data and reports may be limited to some sites.
  const siteData = scopes.some((s) => s.startsWith('site-data:') || s === 'reports');

  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));

  /** What the page can tell before sending. */
  function check(): Problems {
    const found: Problems = {};
    if (name.trim() === '') found.name = t('oauth.nameRequired');
    if (scopes.length === 0) found.scopes = t('oauth.scopesRequired');
    if (siteData && someSites && siteIds.length === 0) found.sites = t('oauth.sitesRequired');
    return found;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const found = check();
    setProblems(found);
    if (Object.keys(found).length > 0) {
      focusFirst(found);
      return;
    }
    setBusy(true);
    const limited = siteData && someSites ? siteIds.map((id) => `site:${id}`) : [];
    try {
      onCreated(await createOauthClient({ name: name.trim(), scopes: [...scopes, ...limited] }));
    } catch (err) {
      const refused = serverProblems(err, limited.length > 0);
      setProblems(refused);
      // Said at its field when it has one; the error line holds the rest (the limit of clients…).
      if (Object.keys(refused).length === 0) setError(problemText(err, t('common.network')));
      else focusFirst(refused);
      setBusy(false);
    }
  }

  return (
    <Dialog title={t('oauth.createTitle')} onClose={onClose} testId="oauth-dialog" wide>
      <form onSubmit={submit} noValidate data-testid="oauth-form">
        <div className="field">
          <label htmlFor="oauth-name">{t('oauth.name')}</label>
          <input maxLength={100} value={name} onChange={(e) => setName(e.target.value)} {...describedBy('oauth-name', problems.name, 'oauth-name-hint')} data-testid="oauth-name" />
          <small className="hint" id="oauth-name-hint">
            {t('oauth.nameHint')}
          </small>
          <FieldProblem id="oauth-name" text={problems.name} />
        </div>
        <fieldset className="field" id="oauth-scopes" tabIndex={-1} aria-describedby={problems.scopes ? 'oauth-scopes-problem' : undefined} data-testid="oauth-scopes">
          <legend>{t('oauth.scopes')}</legend>
          {SCOPE_NAMES.map((scope) => (
            <label key={scope} className="check-field">
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => setScopes((list) => toggle(list, scope, e.target.checked))}
                aria-describedby={`${testIdOf(scope)}-hint`}
                data-testid={testIdOf(scope)}
              />
              <span>
                <strong>{t(SCOPES[scope].label)}</strong> <code>{scope}</code>
                <small className="hint block" id={`${testIdOf(scope)}-hint`}>
                  {t(SCOPES[scope].hint)}
                </small>
              </span>
            </label>
          ))}
          <FieldProblem id="oauth-scopes" text={problems.scopes} />
        </fieldset>
        {siteData && <SitesChoice some={someSites} onSome={setSomeSites} chosen={siteIds} onChosen={(id, on) => setSiteIds((ids) => toggle(ids, id, on))} problem={problems.sites} />}
        <ErrorLine text={error} testId="oauth-form-error" />
        <FormActions submit={busy ? t('oauth.creating') : t('oauth.createSubmit')} onCancel={onClose} disabled={busy} testId="oauth-submit" />
      </form>
    </Dialog>
  );
}

/** Every site, or only the ones ticked (their `site:{id}` scopes), loaded when asked for. */
function SitesChoice(o: { some: boolean; onSome: (some: boolean) => void; chosen: number[]; onChosen: (id: number, on: boolean) => void; problem: string | undefined }) {
  const t = useT();
  const [sites, setSites] = useState<SiteChoice[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!o.some || sites) return;
    let current = true;
    listSiteChoices().then(
      (list) => current && setSites(list),
      (err: unknown) => current && setError(problemText(err, t('common.network'))),
    );
    return () => {
      current = false;
    };
  }, [o.some, sites, t]);

  return (
    <fieldset className="field" id="oauth-sites" tabIndex={-1} aria-describedby={o.problem ? 'oauth-sites-problem' : undefined} data-testid="oauth-sites">
      <legend>{t('oauth.sites')}</legend>
      <label className="check-field">
        <input type="radio" name="oauth-sites" checked={!o.some} onChange={() => o.onSome(false)} data-testid="oauth-sites-all" />
        <span>{t('oauth.sitesAll')}</span>
      </label>
      <label className="check-field">
        <input type="radio" name="oauth-sites" checked={o.some} onChange={() => o.onSome(true)} data-testid="oauth-sites-some" />
        <span>{t('oauth.sitesSome')}</span>
      </label>
      {o.some &&
        (sites ? (
          sites.length === 0 ? (
            <p className="hint">{t('oauth.noSites')}</p>
          ) : (
            <ul className="site-choices" data-testid="oauth-site-list">
              {sites.map((s) => (
                <li key={s.id}>
                  <label className="check-field">
                    <input type="checkbox" checked={o.chosen.includes(s.id)} onChange={(e) => o.onChosen(s.id, e.target.checked)} data-testid={`oauth-site-${s.id}`} />
                    <span>
                      {s.company} <small className="hint">#{s.id}</small>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )
        ) : error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : (
          <p className="hint" role="status">
            {t('common.loading')}
          </p>
        ))}
      <FieldProblem id="oauth-sites" text={o.problem} />
    </fieldset>
  );
}

/**
 * Where the server's refusal belongs: the name or the scopes by their path; a 400 without one is
 * the scope check (partners.scopes.ts parseScopes); a 404 with sites chosen is one that is not ours.
 */
function serverProblems(err: unknown, limited: boolean): Problems {
  if (!(err instanceof ApiError)) return {};
  const byField = errorsByField(err);
  const found: Problems = {};
  for (const [path, message] of byField) {
    if (path === 'name') found.name = message;
    else if (path === 'scopes' || path.startsWith('scopes.')) found.scopes = message;
  }
  if (byField.size === 0 && err.status === 400) found.scopes = err.detail;
  if (err.status === 404 && limited) found.sites = err.detail;
  return found;
}

/** Moves focus to the first field with a problem, so it is read out with it. */
function focusFirst(found: Problems) {
  const id = found.name ? 'oauth-name' : found.scopes ? 'oauth-scopes' : found.sites ? 'oauth-sites' : null;
  if (id) requestAnimationFrame(() => document.getElementById(id)?.focus());
}
