// The public sign-up page (/apply): a company applies to become a partner. The fields are checked
// here as the server does (ApplicationInputSchema); what the server still refuses is shown at its
// field (`errors[].path`) or, for anything else (too many applications), above the button. After
// the 201, a confirmation says what happens next.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { BrandMark } from '../../../console/src/components/BrandMark.tsx';
import { LanguageSelect } from '../../../console/src/components/LanguageSelect.tsx';
import { describedBy, FieldProblem } from '../../../admin/src/components/FieldProblem.tsx';
import { errorsByField, problemText } from '../../../admin/src/api/problems.ts';
import { type ApplicationInput, apply } from '../api/platform.ts';
import { type Key, t as text, useT } from '../i18n/i18n.ts';

type Field = keyof ApplicationInput;
type Problems = Partial<Record<Field, string>>;

/** Each field: its label, input, whether it is required, its longest length and its own check. */
const FIELDS: { name: Field; label: Key; type: string; required: boolean; max: number; autoComplete: string; check?: (v: string) => string | null; hint?: Key }[] = [
  { name: 'companyName', label: 'apply.companyName', type: 'text', required: true, max: 200, autoComplete: 'organization' },
  { name: 'contactName', label: 'apply.contactName', type: 'text', required: true, max: 200, autoComplete: 'name' },
  // The server checks the format `email`: one @, no spaces, a dot in the domain.
  { name: 'email', label: 'apply.email', type: 'email', required: true, max: 254, autoComplete: 'email', check: (v) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? null : text('apply.badEmail')) },
  { name: 'phone', label: 'apply.phone', type: 'tel', required: false, max: 40, autoComplete: 'tel', check: (v) => (/^[0-9+()\-. ]{3,40}$/.test(v) ? null : text('apply.badPhone')) },
  { name: 'website', label: 'apply.website', type: 'url', required: false, max: 500, autoComplete: 'url', hint: 'apply.websiteHint', check: (v) => (/^https?:\/\/\S+$/.test(v) && URL.canParse(v) ? null : text('apply.badWebsite')) },
  { name: 'note', label: 'apply.note', type: 'textarea', required: false, max: 4000, autoComplete: 'off' },
];

/** The problems of the form's values, by field (none: it may be sent). */
function check(values: ApplicationInput): Problems {
  const problems: Problems = {};
  for (const f of FIELDS) {
    const v = values[f.name] ?? '';
    if (v === '') {
      if (f.required) problems[f.name] = text('apply.required');
    } else if (v.length > f.max) problems[f.name] = text('apply.tooLong', { max: f.max });
    else {
      const bad = f.check?.(v);
      if (bad) problems[f.name] = bad;
    }
  }
  return problems;
}

/** The form's values: trimmed, and the optional fields left out when empty. */
function valuesOf(form: HTMLFormElement): ApplicationInput {
  const data = new FormData(form);
  const values: Record<string, string> = {};
  for (const f of FIELDS) {
    const v = String(data.get(f.name) ?? '').trim();
    if (v !== '' || f.required) values[f.name] = v;
  }
  return values as unknown as ApplicationInput;
}

function Confirmation({ company, email, onAgain }: { company: string; email: string; onAgain: () => void }) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div data-testid="apply-done">
      <h1 ref={heading} tabIndex={-1}>
        {t('apply.doneTitle')}
      </h1>
      <p>{t('apply.doneText', { company })}</p>
      <p>{t('apply.doneNext', { email })}</p>
      <button type="button" className="button" onClick={onAgain}>
        {t('apply.another')}
      </button>
    </div>
  );
}

export function ApplyPage() {
  const t = useT();
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ company: string; email: string } | null>(null);

  useEffect(() => {
    document.title = `${t('apply.title')} · Parley`;
  }, [t]);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const values = valuesOf(form);
    const found = check(values);
    setProblems(found);
    setError(null);
    const first = FIELDS.find((f) => found[f.name]);
    if (first) {
      form.querySelector<HTMLElement>(`[name="${first.name}"]`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await apply(values);
      setDone({ company: values.companyName, email: values.email });
    } catch (err) {
      const byField = errorsByField(err);
      const atFields: Problems = {};
      for (const f of FIELDS) if (byField.has(f.name)) atFields[f.name] = byField.get(f.name);
      setProblems(atFields);
      setError(Object.keys(atFields).length > 0 ? t('apply.fixFields') : problemText(err, t('common.network')));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin-page apply-page">
      <main className="signin-card apply-card" aria-labelledby={done ? undefined : 'apply-title'}>
        <div className="signin-brand">
          <BrandMark brand={null} />
        </div>
        {done ? (
          <Confirmation {...done} onAgain={() => setDone(null)} />
        ) : (
          <>
            <h1 id="apply-title">{t('apply.title')}</h1>
            <p className="page-intro">{t('apply.intro')}</p>
            <form onSubmit={submit} noValidate data-testid="apply-form">
              {FIELDS.map((f) => {
                const id = `apply-${f.name}`;
                const hintId = f.hint ? `${id}-hint` : undefined;
                const aria = { ...describedBy(id, problems[f.name], hintId), name: f.name, required: f.required, maxLength: f.max, autoComplete: f.autoComplete, 'data-testid': id };
                return (
                  <div className="field" key={f.name}>
                    <label htmlFor={id}>{t(f.label)}</label>
                    {f.type === 'textarea' ? <textarea rows={4} {...aria} /> : <input type={f.type} {...aria} />}
                    {hintId && f.hint && (
                      <small className="hint" id={hintId}>
                        {t(f.hint)}
                      </small>
                    )}
                    <FieldProblem id={id} text={problems[f.name]} />
                  </div>
                );
              })}
              {error && (
                <p className="form-error" role="alert" data-testid="apply-error">
                  {error}
                </p>
              )}
              <button type="submit" className="button primary block" disabled={busy} data-testid="apply-submit">
                {busy ? t('apply.busy') : t('apply.submit')}
              </button>
            </form>
          </>
        )}
        <div className="signin-footer">
          <LanguageSelect />
        </div>
      </main>
    </div>
  );
}
