// Routing and the queue: how routing picks among free agents of the same tier, how many chats may
// wait and for how long, and what a customer is told when nobody can take the chat. Only what
// changed is sent. Below it, the files section (FilesSection.tsx): its own settings and call.
import { type FormEvent, useState } from 'react';
import { fetchImSettings, updateImSettings } from '../../api/settings.ts';
import type { ImSettings, ImSettingsChange, RoutingRule, RoutingSettings } from '../../api/types.ts';
import { describedBy, FieldProblem } from '../../components/FieldProblem.tsx';
import { LoadState, Page } from '../../components/Page.tsx';
import { SaveActions } from '../../components/Status.tsx';
import { useSave } from '../../components/useSave.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/i18n.ts';
import { FilesSection } from './FilesSection.tsx';

const RULES: RoutingRule[] = ['least-busy', 'round-robin'];

interface Draft {
  rule: RoutingRule;
  maxQueueLength: string;
  maxQueueWaitSeconds: string;
  offlineMessage: string;
}

const draftOf = (r: RoutingSettings): Draft => ({
  rule: r.rule,
  maxQueueLength: r.maxQueueLength === null ? '' : String(r.maxQueueLength),
  maxQueueWaitSeconds: r.maxQueueWaitSeconds === null ? '' : String(r.maxQueueWaitSeconds),
  offlineMessage: r.offlineMessage,
});

/** An empty limit is "no limit" (null). */
const limit = (text: string) => (text.trim() === '' ? null : Number(text));

function changesOf(saved: RoutingSettings, d: Draft): ImSettingsChange {
  const change: ImSettingsChange = {};
  if (d.rule !== saved.rule) change.rule = d.rule;
  if (limit(d.maxQueueLength) !== saved.maxQueueLength) change.maxQueueLength = limit(d.maxQueueLength);
  if (limit(d.maxQueueWaitSeconds) !== saved.maxQueueWaitSeconds) change.maxQueueWaitSeconds = limit(d.maxQueueWaitSeconds);
  // An emptied message goes back to the default text.
  if (d.offlineMessage.trim() !== saved.offlineMessage) change.offlineMessage = d.offlineMessage.trim() || null;
  return change;
}

export function RoutingPage() {
  const t = useT();
  const settings = useLoad(fetchImSettings);
  return (
    <Page id="routing" intro={t('routing.intro')}>
      {settings.data ? <RoutingForm saved={settings.data.routing} onSaved={settings.setData} /> : <LoadState error={settings.error} onRetry={settings.reload} />}
      <FilesSection />
    </Page>
  );
}

function RoutingForm({ saved, onSaved }: { saved: RoutingSettings; onSaved: (s: ImSettings) => void }) {
  const t = useT();
  const [draft, setDraft] = useState<Draft>(() => draftOf(saved));
  const { busy, status, error, problems, save, clear, setStatus } = useSave();
  const set = (field: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [field]: e.target.value }));

  function submit(e: FormEvent) {
    e.preventDefault();
    const change = changesOf(saved, draft);
    if (Object.keys(change).length === 0) {
      clear();
      setStatus(t('routing.saved'));
      return;
    }
    void save(async () => {
      const result = await updateImSettings(change);
      setDraft(draftOf(result.routing));
      onSaved(result);
      return t('routing.saved');
    });
  }

  const number = (field: 'maxQueueLength' | 'maxQueueWaitSeconds', min: number, max: number) => (
    <div className="field">
      <label htmlFor={`routing-${field}`}>{t(`routing.${field}`)}</label>
      <input type="number" min={min} max={max} value={draft[field]} onChange={set(field)} {...describedBy(`routing-${field}`, problems.get(field), `routing-${field}-hint`)} data-testid={`routing-${field}`} />
      <small className="hint" id={`routing-${field}-hint`}>
        {t(`routing.${field}Hint`)}
      </small>
      <FieldProblem id={`routing-${field}`} text={problems.get(field)} />
    </div>
  );

  return (
    <form className="card" onSubmit={submit} data-testid="routing-form">
      <fieldset className="field" data-testid="routing-rule">
        <legend>{t('routing.rule')}</legend>
        {RULES.map((rule) => (
          <label key={rule} className="check-field">
            <input type="radio" name="routing-rule" value={rule} checked={draft.rule === rule} onChange={() => setDraft((d) => ({ ...d, rule }))} aria-describedby={`routing-rule-${rule}-hint`} data-testid={`routing-rule-${rule}`} />
            <span>
              <strong>{t(`routing.rule.${rule}`)}</strong>
              <small className="hint block" id={`routing-rule-${rule}-hint`}>
                {t(`routing.rule.${rule}.hint`)}
              </small>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        {number('maxQueueLength', 0, 100000)}
        {number('maxQueueWaitSeconds', 10, 86400)}
      </div>
      <div className="field">
        <label htmlFor="routing-offlineMessage">{t('routing.offlineMessage')}</label>
        <textarea rows={3} maxLength={2000} value={draft.offlineMessage} onChange={set('offlineMessage')} {...describedBy('routing-offlineMessage', problems.get('offlineMessage'), 'routing-offlineMessage-hint')} data-testid="routing-offlineMessage" />
        <small className="hint" id="routing-offlineMessage-hint">
          {t('routing.offlineMessageHint')}
        </small>
        <FieldProblem id="routing-offlineMessage" text={problems.get('offlineMessage')} />
      </div>
      <SaveActions prefix="routing" error={error} status={status} busy={busy} />
    </form>
  );
}
