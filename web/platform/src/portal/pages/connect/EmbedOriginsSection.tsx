// Embed origins: pages of the partner's own product that may frame Parley's pages and host the
// Agent Console SDK (docs/partner-platform.md, docs/agent-console-sdk.md). One origin a line; the
// server checks each, and its refusal is shown at the line, with nothing saved.
import { type FormEvent, useRef, useState } from 'react';
import { fieldErrors, indexIn, problemText } from '../../../../../admin/src/api/problems.ts';
import { LoadState } from '../../../../../admin/src/components/Page.tsx';
import { SaveActions } from '../../../../../admin/src/components/Status.tsx';
import { useLoad } from '../../../../../admin/src/components/useLoad.ts';
import { getEmbedOrigins, saveEmbedOrigins } from '../../api/connect.ts';
import { useT } from '../../i18n.ts';
import { useStore } from '../../store.ts';

/** At most this many origins (the server's limit). */
const MAX_ORIGINS = 20;

interface Row {
  key: number;
  value: string;
}

let nextKey = 1;
const rowsOf = (origins: string[]): Row[] => origins.map((value) => ({ key: nextKey++, value }));

export function EmbedOriginsSection() {
  const t = useT();
  const host = useStore((s) => s.partner!.host);
  const loaded = useLoad(getEmbedOrigins);
  return (
    <section className="page-section" aria-labelledby="embed-title" data-testid="embed-section">
      <div className="page-header">
        <h2 id="embed-title">{t('embed.title')}</h2>
      </div>
      <p className="page-intro">{t('embed.intro', { host })}</p>
      <ul className="connect-uses">
        <li>{t('embed.useFrame')}</li>
        <li>{t('embed.useSdk')}</li>
      </ul>
      {loaded.data ? <EmbedForm saved={loaded.data.origins} /> : <LoadState error={loaded.error} onRetry={loaded.reload} />}
    </section>
  );
}

function EmbedForm({ saved }: { saved: string[] }) {
  const t = useT();
  const [rows, setRows] = useState<Row[]>(() => rowsOf(saved));
  const [problems, setProblems] = useState<ReadonlyMap<number, string>>(new Map());
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  const focusRow = (key: number) => requestAnimationFrame(() => document.getElementById(`embed-origin-${key}`)?.focus());

  function add() {
    const row = { key: nextKey++, value: '' };
    setRows((r) => [...r, row]);
    focusRow(row.key);
  }

  function remove(index: number) {
    const next = rows[index + 1] ?? rows[index - 1];
    setRows((r) => r.filter((_, i) => i !== index));
    if (next) focusRow(next.key);
    else requestAnimationFrame(() => addButton.current?.focus());
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setStatus(null);
    setError(null);
    setProblems(new Map());
    // Empty lines are not sent; the server's indexes are of the lines sent.
    const sent = rows.filter((r) => r.value.trim() !== '');
    try {
      const { origins } = await saveEmbedOrigins(sent.map((r) => r.value.trim()));
      // Stored as the server writes them (lower case, default ports dropped, no duplicates).
      setRows(rowsOf(origins));
      setStatus(origins.length === 0 ? t('embed.savedNone') : t('embed.saved', { count: origins.length }));
    } catch (err) {
      const byRow = new Map<number, string>();
      for (const f of fieldErrors(err)) {
        const index = indexIn(f, 'origins');
        const row = index === null ? undefined : sent[index];
        if (row && !byRow.has(row.key)) byRow.set(row.key, f.message);
      }
      setProblems(byRow);
      setError(byRow.size > 0 ? t('embed.notSaved', { count: byRow.size }) : problemText(err, t('common.network')));
      const first = rows.find((r) => byRow.has(r.key));
      if (first) focusRow(first.key);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card connect-embed" onSubmit={submit} noValidate aria-labelledby="embed-title" data-testid="embed-form">
      {rows.length === 0 ? (
        <p className="hint" data-testid="embed-empty">
          {t('embed.empty')}
        </p>
      ) : (
        <ol className="connect-origins" data-testid="embed-origins">
          {rows.map((r, i) => {
            const id = `embed-origin-${r.key}`;
            const problem = problems.get(r.key);
            return (
              <li key={r.key} className="connect-origin" data-testid="embed-origin-row" data-invalid={problem ? true : undefined}>
                <label htmlFor={id} className="visually-hidden">
                  {t('embed.originLabel', { n: i + 1 })}
                </label>
                <div className="input-with-button">
                  <input
                    id={id}
                    inputMode="url"
                    autoComplete="off"
                    spellCheck={false}
                    maxLength={300}
                    placeholder="https://app.example.com"
                    className="mono"
                    value={r.value}
                    onChange={(e) => setRows((all) => all.map((x) => (x.key === r.key ? { ...x, value: e.target.value } : x)))}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={problem ? `${id}-problem embed-hint` : 'embed-hint'}
                    data-testid="embed-origin"
                  />
                  <button type="button" className="button small danger-outline" onClick={() => remove(i)} aria-label={t('embed.removeLabel', { n: i + 1 })} data-testid="embed-origin-remove">
                    {t('embed.remove')}
                  </button>
                </div>
                {problem && (
                  <small className="field-problem" id={`${id}-problem`} data-testid="embed-origin-problem">
                    {t('embed.lineProblem', { n: i + 1, message: problem })}
                  </small>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <p className="hint" id="embed-hint">
        {t('embed.hint', { max: MAX_ORIGINS })}
      </p>
      <div>
        <button ref={addButton} type="button" className="button" onClick={add} disabled={rows.length >= MAX_ORIGINS} data-testid="embed-origin-add">
          {t('embed.add')}
        </button>
      </div>
      <SaveActions prefix="embed" error={error} status={status} busy={busy} label={t('embed.save')} />
    </form>
  );
}
