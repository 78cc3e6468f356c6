// Files in chats, a section of the routing page: whether visitors and agents may send files, and the
// largest file the site accepts (in MB here, in bytes in the API; at most the platform's limit).
// Only what changed is sent. A size that is not a number of MB with at most one decimal, or out of
// range, is said at the field before anything is sent; the server's refusals are shown there too.
import { type FormEvent, useState } from 'react';
import { fetchFileSettings, updateFileSettings } from '../../api/settings.ts';
import type { FileSettings, FileSettingsChange } from '../../api/types.ts';
import { describedBy, FieldProblem } from '../../components/FieldProblem.tsx';
import { LoadedSection } from '../../components/Page.tsx';
import { SaveActions } from '../../components/Status.tsx';
import { useSave } from '../../components/useSave.ts';
import { useLoad } from '../../components/useLoad.ts';
import { getLang } from '../../../../console/src/i18n/i18n.ts';
import { type Translate, useT } from '../../i18n/i18n.ts';

/** The API's sizes are bytes; "10 MB" is 10 × 2^20 (the platform's default limit). */
const MB = 1024 * 1024;
/** The smallest size the field takes (one decimal); the API's own minimum, 1 KB, is below it. */
const MIN_MB = 0.1;

/** A size in MB for the field: one decimal when that is exact, else as close as three decimals say (a size set through the API). */
function mbText(bytes: number): string {
  const one = Math.round((bytes / MB) * 10) / 10;
  return Math.round(one * MB) === bytes ? String(one) : String(Number((bytes / MB).toFixed(3)));
}

/** The largest size the field takes: the platform's limit, down to one decimal. */
const maxMb = (platformMaxBytes: number) => Math.floor((platformMaxBytes / MB) * 10 + 1e-6) / 10;

/** A number of MB in the words of the language (2.5, 2,5). */
const num = (mb: number) => mb.toLocaleString(getLang());

/** The MB typed (a point or a comma before the one decimal), or null when it is not such a number. */
function parseMb(text: string): number | null {
  const m = /^\s*(\d{1,6})(?:[.,](\d))?\s*$/.exec(text);
  return m ? Number(`${m[1]}.${m[2] ?? '0'}`) : null;
}

interface Draft {
  visitorFiles: boolean;
  agentFiles: boolean;
  maxMb: string;
}

const draftOf = (s: FileSettings): Draft => ({ visitorFiles: s.visitorFiles, agentFiles: s.agentFiles, maxMb: mbText(s.maxBytes) });

/** The change to send, or the size field's problem. An untouched size is not sent (it may be one the field cannot write). */
function changesOf(saved: FileSettings, d: Draft, t: Translate): { change: FileSettingsChange } | { problem: string } {
  const change: FileSettingsChange = {};
  if (d.visitorFiles !== saved.visitorFiles) change.visitorFiles = d.visitorFiles;
  if (d.agentFiles !== saved.agentFiles) change.agentFiles = d.agentFiles;
  if (d.maxMb.trim() !== mbText(saved.maxBytes)) {
    const mb = parseMb(d.maxMb);
    const max = maxMb(saved.platformMaxBytes);
    if (mb === null) return { problem: t('files.maxMbInvalid') };
    if (mb < MIN_MB || mb > max) return { problem: t('files.maxMbRange', { min: num(MIN_MB), max: num(max) }) };
    const bytes = Math.round(mb * MB);
    if (bytes !== saved.maxBytes) change.maxBytes = bytes;
  }
  return { change };
}

export function FilesSection() {
  const t = useT();
  const files = useLoad(fetchFileSettings);
  return (
    <LoadedSection id="files" title={t('files.title')} intro={t('files.intro')} loaded={files}>
      {(data) => <FilesForm saved={data} onSaved={files.setData} />}
    </LoadedSection>
  );
}

function FilesForm({ saved, onSaved }: { saved: FileSettings; onSaved: (s: FileSettings) => void }) {
  const t = useT();
  const [draft, setDraft] = useState<Draft>(() => draftOf(saved));
  const { busy, status, error, problems, save, clear, setStatus, setProblems } = useSave();
  const max = maxMb(saved.platformMaxBytes);

  function submit(e: FormEvent) {
    e.preventDefault();
    clear();
    const result = changesOf(saved, draft, t);
    if ('problem' in result) {
      setProblems(new Map([['maxBytes', result.problem]]));
      document.getElementById('files-maxMb')?.focus();
      return;
    }
    if (Object.keys(result.change).length === 0) {
      setStatus(t('files.saved'));
      return;
    }
    const change = result.change;
    void save(async () => {
      const answer = await updateFileSettings(change);
      setDraft(draftOf(answer));
      onSaved(answer);
      return t('files.saved');
    });
  }

  const check = (field: 'visitorFiles' | 'agentFiles') => (
    <div className="field">
      <label className="check-field">
        <input
          type="checkbox"
          checked={draft[field]}
          onChange={(e) => setDraft((d) => ({ ...d, [field]: e.target.checked }))}
          {...describedBy(`files-${field}`, problems.get(field), `files-${field}-hint`)}
          data-testid={`files-${field}`}
        />
        <span>
          <strong>{t(`files.${field}`)}</strong>
          <small className="hint block" id={`files-${field}-hint`}>
            {t(`files.${field}Hint`)}
          </small>
        </span>
      </label>
      <FieldProblem id={`files-${field}`} text={problems.get(field)} />
    </div>
  );

  return (
    <form className="card" onSubmit={submit} aria-labelledby="files-title" noValidate data-testid="files-form">
      {check('visitorFiles')}
      {check('agentFiles')}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="files-maxMb">{t('files.maxMb')}</label>
          <input
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={draft.maxMb}
            onChange={(e) => setDraft((d) => ({ ...d, maxMb: e.target.value }))}
            {...describedBy('files-maxMb', problems.get('maxBytes'), 'files-maxMb-hint')}
            data-testid="files-maxMb"
          />
          <small className="hint" id="files-maxMb-hint">
            {t('files.maxMbHint', { min: num(MIN_MB), max: num(max) })}
          </small>
          <FieldProblem id="files-maxMb" text={problems.get('maxBytes')} />
        </div>
      </div>
      <SaveActions prefix="files" error={error} status={status} busy={busy} />
    </form>
  );
}
