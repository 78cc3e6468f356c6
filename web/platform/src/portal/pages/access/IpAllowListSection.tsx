// The addresses the partner's back end may call the Partner API from: one IPv4 or IPv6 address or
// CIDR range a line; empty admits every address. The page checks each line before sending and
// names the wrong ones; the server checks again and its refusals are shown at their lines too.
import { type FormEvent, useRef, useState } from 'react';
import { fieldErrors, indexIn, problemText } from '../../../../../admin/src/api/problems.ts';
import { SaveActions } from '../../../../../admin/src/components/Status.tsx';
import { saveIpRestrictions } from '../../api/access.ts';
import { type Translate, useT } from '../../i18n.ts';
import { partnerChanged } from '../../session.ts';
import { useStore } from '../../store.ts';
import { type EntryProblem, entriesOf, listProblems, MAX_ENTRIES } from './allowList.ts';

interface LineProblem {
  line: number;
  message: string;
}

/** One entry's problem in words, naming the entry. */
function describe(t: Translate, entry: string, problem: EntryProblem): string {
  switch (problem.kind) {
    case 'tooLong':
      return t('ip.problem.tooLong', { entry: entry.slice(0, 24), max: problem.max });
    case 'prefix':
      return t('ip.problem.prefix', { entry, max: problem.max });
    case 'hostBits':
      return t('ip.problem.hostBits', { entry, network: problem.network });
    default:
      return t(`ip.problem.${problem.kind}`, { entry });
  }
}

export function IpAllowListSection() {
  const t = useT();
  const saved = useStore((s) => s.partner!.ipRestrictions);
  const [text, setText] = useState(() => saved.join('\n'));
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [lines, setLines] = useState<LineProblem[]>([]);
  const field = useRef<HTMLTextAreaElement>(null);

  function refuse(message: string, problems: LineProblem[]) {
    setError(message);
    setLines(problems);
    field.current?.focus();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setStatus(null);
    setError(null);
    setLines([]);
    const { entries, lines: entryLines } = entriesOf(text);
    if (entries.length > MAX_ENTRIES) return refuse(t('ip.tooMany', { count: entries.length, max: MAX_ENTRIES }), []);
    const wrong = listProblems(text).map((p) => ({ line: p.line, message: t('ip.line', { line: p.line, message: describe(t, p.entry, p.problem) }) }));
    if (wrong.length > 0) return refuse(t('ip.notSaved'), wrong);

    setBusy(true);
    try {
      const updated = await saveIpRestrictions(entries);
      partnerChanged(updated);
      // The server writes entries in canonical form (a mapped IPv4 as IPv4, IPv6 in lower case).
      setText(updated.ipRestrictions.join('\n'));
      setStatus(updated.ipRestrictions.length === 0 ? t('ip.savedAnywhere') : t('ip.saved', { count: updated.ipRestrictions.length }));
    } catch (err) {
      const atLines = fieldErrors(err).flatMap((f) => {
        const index = indexIn(f, 'ipRestrictions');
        if (index === null) return [];
        const line = entryLines[index] ?? index + 1;
        return [{ line, message: t('ip.line', { line, message: f.message }) }];
      });
      refuse(problemText(err, t('common.network')), atLines);
    } finally {
      setBusy(false);
    }
  }

  const describedBy = ['ip-list-hint', lines.length > 0 ? 'ip-list-errors' : null].filter(Boolean).join(' ');
  return (
    <section className="page-section" aria-labelledby="ip-title" data-testid="ip-section">
      <div className="page-header">
        <h2 id="ip-title">{t('ip.title')}</h2>
      </div>
      <p className="page-intro">{t('ip.intro')}</p>
      <form className="card access-card" onSubmit={submit} noValidate data-testid="ip-form">
        <p className={saved.length === 0 ? 'notice-box' : 'hint'} data-testid="ip-current">
          {saved.length === 0 ? t('ip.nowAnywhere') : t('ip.nowOnly', { count: saved.length })}
        </p>
        <div className="field">
          <label htmlFor="ip-list">{t('ip.label')}</label>
          <textarea
            ref={field}
            id="ip-list"
            rows={6}
            className="mono"
            spellCheck={false}
            autoComplete="off"
            placeholder={'203.0.113.0/24\n2001:db8::/32'}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-describedby={describedBy}
            aria-invalid={lines.length > 0 || undefined}
            data-testid="ip-list"
          />
          <small className="hint" id="ip-list-hint">
            {t('ip.hint', { max: MAX_ENTRIES })}
          </small>
          {lines.length > 0 && (
            <ul className="field-errors" id="ip-list-errors" data-testid="ip-list-errors">
              {lines.map((l) => (
                <li key={l.line} data-testid="ip-line-problem" data-line={l.line}>
                  {l.message}
                </li>
              ))}
            </ul>
          )}
        </div>
        <SaveActions prefix="ip" error={error} status={status} busy={busy} label={t('ip.save')} />
      </form>
    </section>
  );
}
