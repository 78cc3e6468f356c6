// The site's IP restrictions: visitors refused by address, and the only addresses agents may work
// from. One entry a line; the server checks each and says which line is wrong and why.
import { type FormEvent, useState } from 'react';
import { fetchIpRestrictions, saveIpRestrictions } from '../api/panel.ts';
import { type FieldError, fieldErrors, indexIn, problemText } from '../api/problems.ts';
import type { IpRestrictions } from '../api/types.ts';
import { LoadState, Page } from '../components/Page.tsx';
import { SaveActions } from '../components/Status.tsx';
import { useLoad } from '../components/useLoad.ts';
import { useT } from '../i18n/i18n.ts';

type ListName = keyof IpRestrictions;
const LISTS: ListName[] = ['refusedVisitors', 'agentsOnlyFrom'];
const LABELS = { refusedVisitors: ['ip.refused', 'ip.refusedHint'], agentsOnlyFrom: ['ip.agents', 'ip.agentsHint'] } as const;

const linesOf = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** The line number (from 1) of each entry: blank lines are not sent, so entry 2 may be on line 4. */
const entryLines = (text: string) => text.split('\n').flatMap((l, i) => (l.trim() === '' ? [] : [i + 1]));

export function IpRestrictionsPage() {
  const t = useT();
  const lists = useLoad(fetchIpRestrictions);
  return (
    <Page id="ipRestrictions" intro={t('ip.intro')}>
      {lists.data ? <IpForm saved={lists.data} onSaved={lists.setData} /> : <LoadState error={lists.error} onRetry={lists.reload} />}
    </Page>
  );
}

function IpForm({ saved, onSaved }: { saved: IpRestrictions; onSaved: (r: IpRestrictions) => void }) {
  const t = useT();
  const [text, setText] = useState<Record<ListName, string>>({ refusedVisitors: saved.refusedVisitors.join('\n'), agentsOnlyFrom: saved.agentsOnlyFrom.join('\n') });
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldError[]>([]);
  // The text the errors are about (the agent may type on meanwhile).
  const [sentText, setSentText] = useState(text);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setStatus(null);
    setFields([]);
    setSentText(text);
    try {
      const result = await saveIpRestrictions({ refusedVisitors: linesOf(text.refusedVisitors), agentsOnlyFrom: linesOf(text.agentsOnlyFrom) });
      // The server writes entries in their canonical form (1.2.3.4/32 for a single address…).
      setText({ refusedVisitors: result.refusedVisitors.join('\n'), agentsOnlyFrom: result.agentsOnlyFrom.join('\n') });
      onSaved(result);
      setStatus(t('ip.saved'));
    } catch (err) {
      setError(problemText(err, t('common.network')));
      setFields(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit} data-testid="ip-form">
      {LISTS.map((list) => {
        const lines = entryLines(sentText[list]);
        const wrong = fields.flatMap((f) => {
          const index = indexIn(f, list);
          return index === null ? [] : [{ line: lines[index] ?? index + 1, message: f.message }];
        });
        const [label, hint] = LABELS[list];
        return (
          <div className="field" key={list}>
            <label htmlFor={`ip-${list}`}>{t(label)}</label>
            <textarea
              id={`ip-${list}`}
              rows={6}
              spellCheck={false}
              className="mono"
              value={text[list]}
              onChange={(e) => setText((v) => ({ ...v, [list]: e.target.value }))}
              aria-describedby={`ip-${list}-hint${wrong.length > 0 ? ` ip-${list}-errors` : ''}`}
              aria-invalid={wrong.length > 0 || undefined}
              data-testid={`ip-${list}`}
            />
            <small className="hint" id={`ip-${list}-hint`}>
              {t(hint)}
            </small>
            {wrong.length > 0 && (
              <ul className="field-errors" id={`ip-${list}-errors`} data-testid={`ip-${list}-errors`}>
                {wrong.map((w) => (
                  <li key={w.line}>{t('ip.line', { line: w.line, message: w.message })}</li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
      <SaveActions prefix="ip" error={error} status={status} busy={busy} />
    </form>
  );
}
