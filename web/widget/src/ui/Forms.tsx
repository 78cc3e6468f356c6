// The panel's three forms: pre-chat (who the visitor is, and the question), offline message
// (nobody is available), and the survey after a chat. Native validation (required, type=email)
// does the checking, with the browser's own accessible messages.
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { type FormValues, newChat, submitOffline, submitPrechat, submitSurvey } from '../state/actions.ts';
import { patch, type State } from '../state/store.ts';
import { Field } from './Field.tsx';

type Submit = JSX.TargetedEvent<HTMLFormElement, SubmitEvent>;

function values(form: HTMLFormElement): FormValues {
  const out: FormValues = {};
  new FormData(form).forEach((v, k) => {
    if (typeof v === 'string' && v.trim()) out[k] = v.trim();
  });
  return out;
}

/** A submit handler that reads the form, and disables its button while the request runs. */
function useSubmit(send: (v: FormValues) => Promise<unknown>): [boolean, (e: Submit) => void] {
  const [busy, setBusy] = useState(false);
  const onSubmit = (e: Submit) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    void send(values(e.currentTarget)).finally(() => setBusy(false));
  };
  return [busy, onSubmit];
}

export function PrechatForm({ s }: { s: State }) {
  const { t, config, visitor } = s;
  const [busy, onSubmit] = useSubmit(submitPrechat);
  const known: Record<string, string | null | undefined> = { name: visitor?.name, email: visitor?.email };
  return (
    <form class="form" data-testid="prechat-form" onSubmit={onSubmit}>
      <p>{config.prechat.message || t.intro}</p>
      {config.prechat.fields.map((f) => (
        <Field
          key={f.name}
          name={f.name}
          type={f.type === 'textarea' ? undefined : f.type}
          label={f.label || (t[f.name as keyof typeof t] as string | undefined) || f.name}
          optional={t.optional}
          required={f.required}
          multiline={f.type ? f.type === 'textarea' : f.name === 'question'}
          value={known[f.name]}
          testid={`prechat-${f.name}`}
        />
      ))}
      <button class="btn" type="submit" disabled={busy} data-testid="prechat-submit">
        {t.start}
      </button>
    </form>
  );
}

/** Offered when no agent can take a chat, or the chat ended because it waited too long. */
export function OfflineForm({ s }: { s: State }) {
  const { t, config, chat } = s;
  const [busy, onSubmit] = useSubmit(submitOffline);
  const form = config.offlineForm;
  const enabled = typeof form === 'object' ? form.enabled !== false : form !== false;
  const closing = s.messages.filter((m) => m.type === 'close').pop()?.data.offlineMessage;
  const reason = s.offlineReason || (typeof closing === 'string' && closing) || (typeof form === 'object' && form.message) || t.offlineIntro;
  const again = (chat || s.offlineReason !== null) && (
    <button class="btn alt" type="button" data-testid="new-chat" onClick={newChat}>
      {t.newChat}
    </button>
  );
  if (s.offlineSent) {
    return (
      <div class="form">
        <p role="status" data-testid="offline-sent">
          {t.offlineThanks}
        </p>
        {again}
      </div>
    );
  }
  return (
    <form class="form" data-testid="offline-form" onSubmit={onSubmit}>
      <h2>{t.offline}</h2>
      <p>{reason}</p>
      {enabled && (
        <>
          <Field name="name" label={t.name} optional={t.optional} value={s.visitor?.name} testid="offline-name" />
          <Field name="email" label={t.email} optional={t.optional} value={s.visitor?.email} testid="offline-email" />
          <Field name="phone" label={t.phone} optional={t.optional} testid="offline-phone" />
          <Field name="content" label={t.message} optional={t.optional} required multiline value={s.draft} testid="offline-content" />
          <button class="btn" type="submit" disabled={busy} data-testid="offline-submit">
            {t.send}
          </button>
        </>
      )}
      {again}
    </form>
  );
}

export function Survey({ s }: { s: State }) {
  const { t } = s;
  const survey = s.config.survey;
  const [busy, onSubmit] = useSubmit((v) => submitSurvey(Number(v.option), v.remark ?? ''));
  return (
    <form class="form survey" data-testid="survey-form" onSubmit={onSubmit}>
      <fieldset>
        <legend>{survey.title || t.survey}</legend>
        {survey.desc && <p>{survey.desc}</p>}
        {survey.options.map((o) => (
          <label key={o.id} class="choice">
            <input type="radio" name="option" value={o.id} required data-testid="survey-option" data-option-id={o.id} />
            {o.text}
          </label>
        ))}
      </fieldset>
      {survey.remarkEnabled && <Field name="remark" label={survey.remark || t.remark} optional={t.optional} multiline testid="survey-remark" />}
      <div class="row">
        <button class="btn" type="submit" disabled={busy} data-testid="survey-submit">
          {t.send}
        </button>
        <button class="btn alt" type="button" data-testid="survey-skip" onClick={() => patch({ surveyDone: 'skipped' })}>
          {t.skip}
        </button>
      </div>
    </form>
  );
}
