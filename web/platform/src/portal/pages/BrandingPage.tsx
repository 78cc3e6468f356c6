// The partner's brand: the text shown instead of "Parley" and the logo. A logo is checked here
// before it is sent (a PNG, JPEG, WebP or GIF within the size limit) and again by the server, which
// also checks that the bytes really are that image; either refusal is said at the file field. The
// portal's own header shows a change at once.
import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { describedBy } from '../../../../admin/src/components/FieldProblem.tsx';
import { ErrorLine, SaveActions, StatusLine } from '../../../../admin/src/components/Status.tsx';
import { useSave } from '../../../../admin/src/components/useSave.ts';
import { problemText } from '../../../../admin/src/api/problems.ts';
import { ApiError } from '../../../../console/src/api/http.ts';
import { ConfirmDialog } from '../../../../console/src/components/ConfirmDialog.tsx';
import type { Partner } from '../api/account.ts';
import { LOGO_MAX_BYTES, LOGO_TYPES, removeLogo, setBranding, uploadLogo } from '../api/brand.ts';
import { Field } from '../components/Field.tsx';
import { PortalPage } from '../components/PortalPage.tsx';
import { type Key, t as text, useT } from '../i18n.ts';
import { partnerChanged } from '../session.ts';
import { useStore } from '../store.ts';
import '../styles/brand.css';

const TYPE_NAMES: Record<string, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP', 'image/gif': 'GIF' };

/** A file size for people: bytes, KiB or MiB. */
function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Why a chosen file cannot be a logo, before sending it; undefined when it may be sent. */
function refusalBeforeSending(file: File): string | undefined {
  if (file.type === 'image/svg+xml' || /\.svg$/i.test(file.name)) return text('branding.svg');
  if (!LOGO_TYPES.includes(file.type)) return text('branding.badType', { file: file.name });
  if (file.size === 0) return text('branding.empty', { file: file.name });
  if (file.size > LOGO_MAX_BYTES) return text('branding.tooLarge', { file: file.name, size: sizeText(file.size), max: sizeText(LOGO_MAX_BYTES) });
  return undefined;
}

/** The server's refusal of the file itself, in words about the file; undefined for other failures. */
function refusalByServer(err: unknown, file: File): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  if (err.status === 413) return text('branding.tooLargeServer', { file: file.name });
  if (err.status === 415) return text('branding.badType', { file: file.name });
  if (err.status !== 400) return undefined;
  if (err.body.reason === 'type-mismatch') return text('branding.mismatch', { file: file.name, type: TYPE_NAMES[file.type] ?? file.type });
  return text('branding.refused', { detail: err.detail });
}

export function BrandingPage() {
  const t = useT();
  return (
    <PortalPage id="branding" intro={t('branding.intro')}>
      <BrandingText />
      <Logo />
    </PortalPage>
  );
}

function BrandingText() {
  const t = useT();
  const partner = useStore((s) => s.partner)!;
  const { busy, status, error, problems, save } = useSave();

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const branding = String(new FormData(e.currentTarget).get('branding') ?? '').trim();
    void save(async () => {
      partnerChanged(await setBranding(branding || null));
      return text(branding ? 'branding.saved' : 'branding.cleared', { name: partner.name });
    });
  }

  return (
    <section className="card brand-section" aria-labelledby="branding-text-title">
      <h2 id="branding-text-title">{t('branding.textTitle')}</h2>
      <form className="form-grid" onSubmit={submit} data-testid="branding-form">
        <Field id="branding-text" className="span-2" label={t('branding.text')} hint={t('branding.textHint', { name: partner.name })} problem={problems.get('branding')}>
          {(attrs) => <input name="branding" maxLength={200} defaultValue={partner.branding ?? ''} {...attrs} data-testid="branding-text" />}
        </Field>
        <SaveActions className="span-2" prefix="branding" error={error} status={status} busy={busy} label={t('branding.save')} />
      </form>
    </section>
  );
}

function Logo() {
  const t = useT();
  const partner = useStore((s) => s.partner)!;
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [chosenUrl, setChosenUrl] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const name = partner.branding || partner.name;

  // A look at the chosen file before it is sent.
  useEffect(() => {
    if (!file) {
      setChosenUrl(null);
      return;
    }
    const url = URL.createObjectURL(file);
    setChosenUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  function choose(e: ChangeEvent<HTMLInputElement>) {
    const chosen = e.target.files?.[0] ?? null;
    const refusal = chosen ? refusalBeforeSending(chosen) : undefined;
    setStatus(null);
    setError(null);
    setProblem(refusal ?? null);
    setFile(refusal ? null : chosen);
  }

  /** Sends a change; the partner it answers goes to the portal (the header shows the logo at once). */
  async function send(work: () => Promise<Partner>, done: Key, sending: File | null): Promise<void> {
    setBusy(true);
    setStatus(null);
    setError(null);
    try {
      partnerChanged(await work());
      setStatus(text(done));
      setFile(null);
      if (input.current) input.current.value = '';
      // The Remove button is gone with the logo: the file field is the next thing to use.
      if (!sending) input.current?.focus();
    } catch (err) {
      const refusal = sending ? refusalByServer(err, sending) : undefined;
      if (refusal) {
        setProblem(refusal);
        input.current?.focus();
      } else {
        setError(problemText(err, text('common.network')));
      }
    } finally {
      setBusy(false);
    }
  }

  function upload(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (problem) return input.current?.focus();
    if (!file) {
      setProblem(text('branding.chooseFirst'));
      return input.current?.focus();
    }
    const sending = file;
    void send(() => uploadLogo(sending, sending.type), 'branding.uploaded', sending);
  }

  return (
    <section className="card brand-section" aria-labelledby="logo-title">
      <h2 id="logo-title">{t('branding.logoTitle')}</h2>
      <div className="logo-layout">
        <figure className="logo-figure">
          <figcaption className="logo-label">{t('branding.logoCurrent')}</figcaption>
          <div className="logo-stage" data-testid="logo-current">
            {partner.logoUrl ? (
              <img src={partner.logoUrl} alt={t('branding.logoAlt', { name })} data-testid="logo-current-img" />
            ) : (
              <span className="logo-none" data-testid="logo-none">
                {t('branding.logoNone')}
              </span>
            )}
          </div>
        </figure>
        <form className="logo-form" onSubmit={upload} noValidate data-testid="logo-form">
          <div className="field">
            <label htmlFor="logo-file">{t('branding.logoFile')}</label>
            <input ref={input} type="file" name="logo" accept={LOGO_TYPES.join(',')} onChange={choose} {...describedBy('logo-file', problem ?? undefined, 'logo-file-hint')} data-testid="logo-file" />
            <small className="hint" id="logo-file-hint">
              {t('branding.logoHint', { max: sizeText(LOGO_MAX_BYTES) })}
            </small>
            <ErrorLine id="logo-file-problem" testId="logo-problem" text={problem} />
          </div>
          {file && chosenUrl && (
            <div className="logo-chosen" data-testid="logo-chosen">
              <img src={chosenUrl} alt="" />
              <span>{t('branding.chosen', { file: file.name, size: sizeText(file.size) })}</span>
            </div>
          )}
          <div className="form-actions">
            <ErrorLine text={error} testId="logo-error" />
            <StatusLine text={status} testId="logo-status" />
            {partner.logoUrl && (
              <button type="button" className="button ghost" disabled={busy} onClick={() => setConfirming(true)} data-testid="logo-remove">
                {t('branding.remove')}
              </button>
            )}
            <button type="submit" className="button primary" disabled={busy} data-testid="logo-upload">
              {busy ? t('branding.uploading') : t('branding.upload')}
            </button>
          </div>
        </form>
      </div>
      {confirming && (
        <ConfirmDialog
          title={t('branding.removeTitle')}
          text={t('branding.removeText')}
          confirm={t('branding.remove')}
          danger
          busy={busy}
          testId="logo-remove-dialog"
          onConfirm={() => {
            setConfirming(false);
            void send(removeLogo, 'branding.removed', null);
          }}
          onClose={() => setConfirming(false)}
        />
      )}
    </section>
  );
}
