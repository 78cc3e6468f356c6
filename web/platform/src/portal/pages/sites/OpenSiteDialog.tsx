// "Open a site": the customer's company and details, and its administrator (name, e-mail, and a
// password, or none for Parley to make one up). A field the server refuses says so under it and
// takes the focus. Once open, the dialog shows what was made: the site's id, the administrator's
// e-mail and sign-in address on the partner's host, and a made-up password, this once.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Dialog } from '../../../../../console/src/components/Dialog.tsx';
import { FormActions } from '../../../../../console/src/components/FormActions.tsx';
import { errorsByField, problemText } from '../../../../../admin/src/api/problems.ts';
import { ErrorLine } from '../../../../../admin/src/components/Status.tsx';
import { type NewSite, type OpenedSite, openSite } from '../../api/sites.ts';
import { CopyValue } from '../../components/CopyValue.tsx';
import { Field } from '../../components/Field.tsx';
import { useT } from '../../i18n.ts';
import { useStore } from '../../store.ts';

interface Props {
  onOpened: (site: OpenedSite) => void;
  onClose: () => void;
}

/** The form's inputs: their names, the field's path in the request (and in the server's problems), and their test ids. */
const INPUTS = {
  company: { path: 'company', max: 200 },
  website: { path: 'website', max: 500 },
  phoneNumber: { path: 'phoneNumber', max: 40 },
  country: { path: 'country', max: 100 },
  city: { path: 'city', max: 100 },
  adminName: { path: 'admin.name', max: 200 },
  adminEmail: { path: 'admin.email', max: 254 },
  adminPassword: { path: 'admin.password', max: 200 },
} as const;
type Input = keyof typeof INPUTS;

/** Where the site's administrator signs in: the control panel on the partner's host (the portal's own origin when it is served there, port and all). */
export function adminSignInUrl(host: string, siteId: number): string {
  const origin = location.hostname === host ? location.origin : `https://${host}`;
  return `${origin}/admin?siteId=${siteId}`;
}

export function OpenSiteDialog({ onOpened, onClose }: Props) {
  const t = useT();
  const host = useStore((s) => s.partner?.host ?? '');
  // One key per dialog: a second submit (a double click, a retry after a lost answer) opens no second site.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<ReadonlyMap<string, string>>(new Map());
  const [opened, setOpened] = useState<OpenedSite | null>(null);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    // The first field the server refused takes the focus, so it is read out and ready to fix.
    if (problems.size > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const value = (name: Input) => String(data.get(name) ?? '').trim();
    const optional = (name: Input) => value(name) || undefined;
    const site: NewSite = {
      company: value('company'),
      ...withValues({ website: optional('website'), phoneNumber: optional('phoneNumber'), country: optional('country'), city: optional('city') }),
      // A password is taken as typed: spaces may be part of it.
      admin: { email: value('adminEmail'), ...withValues({ name: optional('adminName'), password: String(data.get('adminPassword') ?? '') || undefined }) },
    };
    setBusy(true);
    setError(null);
    setProblems(new Map());
    try {
      const created = await openSite(site, idempotencyKey);
      setOpened(created);
      onOpened(created);
    } catch (err) {
      setError(problemText(err, t('common.network')));
      setProblems(errorsByField(err));
    } finally {
      setBusy(false);
    }
  }

  if (opened) return <Opened site={opened} host={host} onClose={onClose} />;

  const field = (name: Input, o: { type?: string; required?: boolean; autoComplete?: string; hint?: string; className?: string } = {}) => (
    <Field id={`site-${name}`} label={t(`sites.field.${name}`)} hint={o.hint} problem={problems.get(INPUTS[name].path)} className={o.className}>
      {(attrs) => <input name={name} type={o.type ?? 'text'} required={o.required} maxLength={INPUTS[name].max} autoComplete={o.autoComplete ?? 'off'} {...attrs} data-testid={`site-${name}`} />}
    </Field>
  );

  return (
    <Dialog title={t('sites.openTitle')} onClose={onClose} testId="site-open-dialog" wide>
      <form ref={form} onSubmit={submit} data-testid="site-open-form">
        <fieldset className="site-fieldset">
          <legend>{t('sites.customer')}</legend>
          <div className="form-grid">
            {field('company', { required: true, className: 'span-2' })}
            {field('website')}
            {field('phoneNumber', { type: 'tel' })}
            {field('country')}
            {field('city')}
          </div>
        </fieldset>
        <fieldset className="site-fieldset">
          <legend>{t('sites.administrator')}</legend>
          <p className="hint">{t('sites.administratorIntro')}</p>
          <div className="form-grid">
            {field('adminName')}
            {field('adminEmail', { type: 'email', required: true })}
            {field('adminPassword', { type: 'password', autoComplete: 'new-password', hint: t('sites.passwordHint'), className: 'span-2' })}
          </div>
        </fieldset>
        <ErrorLine text={error} testId="site-open-error" />
        <FormActions submit={busy ? t('sites.opening') : t('sites.openSubmit')} onCancel={onClose} disabled={busy} testId="site-open-submit" />
      </form>
    </Dialog>
  );
}

/** What was made, with the administrator's sign-in and, if Parley made it up, the password (shown only here). */
function Opened({ site, host, onClose }: { site: OpenedSite; host: string; onClose: () => void }) {
  const t = useT();
  const done = useRef<HTMLButtonElement>(null);
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => summary.current?.focus(), []);
  return (
    <Dialog title={t('sites.openedTitle', { company: site.company })} onClose={onClose} testId="site-opened-dialog" initialFocus={done} wide>
      <div ref={summary} tabIndex={-1} className="site-opened" data-testid="site-opened">
        <p>{t('sites.openedIntro', { company: site.company })}</p>
        <dl className="detail-list">
          <div>
            <dt>{t('sites.openedId')}</dt>
            <dd data-testid="site-opened-id">{site.id}</dd>
          </div>
          <div>
            <dt>{t('sites.openedEmail')}</dt>
            <dd data-testid="site-opened-email">{site.admin.email}</dd>
          </div>
        </dl>
      </div>
      <CopyValue id="site-opened-signin" label={t('sites.openedSignIn')} value={adminSignInUrl(host, site.id)} testId="site-opened-signin" />
      {site.admin.password && (
        <div className="site-opened-secret" data-testid="site-opened-secret">
          <p className="notice-box" id="site-opened-once">
            {t('sites.passwordOnce')}
          </p>
          <CopyValue id="site-opened-password" label={t('sites.openedPassword')} value={site.admin.password} testId="site-opened-password" describedBy="site-opened-once" />
        </div>
      )}
      <div className="dialog-actions">
        <button ref={done} type="button" className="button primary" onClick={onClose} data-testid="site-opened-done">
          {t('sites.finish')}
        </button>
      </div>
    </Dialog>
  );
}

/** The entries whose value is given (the API takes an absent field, not an empty one). */
function withValues<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: string };
}
