// The theme editor beside its live preview. Values are checked as they are typed with the server's
// rules; a refused one is marked at its field and the preview keeps the last good value. Saving
// sends only the filled fields (empty ones are Parley's defaults); the server's refusal of a pair
// (errors[].path `body.pairs.<index>`) is shown at the field that pair came from. After a save or a
// reset the portal takes the fresh partner, so its own look follows.
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { SaveActions } from '../../../../../admin/src/components/Status.tsx';
import { useSave } from '../../../../../admin/src/components/useSave.ts';
import { ConfirmDialog } from '../../../../../console/src/components/ConfirmDialog.tsx';
import { THEME_TOKENS, type ThemeKey } from '../../../../../shared/theme-tokens.ts';
import { getProfile } from '../../api/account.ts';
import { saveTheme, type ThemePair } from '../../api/brand.ts';
import { t as text, useT } from '../../i18n.ts';
import { partnerChanged } from '../../session.ts';
import { useStore } from '../../store.ts';
import { type Checked, checkValue, type Draft, draftOf, GROUPS, TOKEN_KEYS, TokenField } from './ThemeFields.tsx';
import { type PreviewValues, ThemePreview } from './ThemePreview.tsx';

const checksOf = (draft: Draft) => Object.fromEntries(TOKEN_KEYS.map((k) => [k, checkValue(k, draft[k])])) as Record<ThemeKey, Checked>;
const previewOf = (draft: Draft) => Object.fromEntries(TOKEN_KEYS.map((k) => [k, checkValue(k, draft[k]).value])) as PreviewValues;

/** The server's refusals by token: `pairs.3` (or `pairs.3.cssValue`) is the fourth pair sent. */
function refusalsOf(problems: ReadonlyMap<string, string>, sent: readonly string[]): Map<ThemeKey, string> {
  const out = new Map<ThemeKey, string>();
  for (const [path, message] of problems) {
    const index = /^pairs\.(\d+)(?:\.|$)/.exec(path)?.[1];
    const key = index === undefined ? undefined : sent[Number(index)];
    if (key && Object.hasOwn(THEME_TOKENS, key) && !out.has(key as ThemeKey)) out.set(key as ThemeKey, message);
  }
  return out;
}

export function ThemeEditor({ stored }: { stored: ThemePair[] }) {
  const t = useT();
  const partner = useStore((s) => s.partner)!;
  const [saved, setSaved] = useState<Draft>(() => draftOf(stored));
  const [draft, setDraft] = useState<Draft>(saved);
  // What the preview shows for a field whose text is refused: the last value that was not.
  const [lastGood, setLastGood] = useState<PreviewValues>(() => previewOf(saved));
  const [left, setLeft] = useState<ReadonlySet<ThemeKey>>(new Set());
  const [checkAll, setCheckAll] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);
  // Fields changed since the last save: the server's word about them no longer applies.
  const [edited, setEdited] = useState<ReadonlySet<ThemeKey>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const sent = useRef<string[]>([]);
  const { busy, status, error, problems, save, clear } = useSave();

  const checks = useMemo(() => checksOf(draft), [draft]);
  const refused = refusalsOf(problems, sent.current);
  const preview = Object.fromEntries(TOKEN_KEYS.map((k) => [k, checks[k].problem ? lastGood[k] : checks[k].value])) as PreviewValues;
  const unsaved = TOKEN_KEYS.some((k) => draft[k].trim() !== saved[k]);

  // A refusal from the server: focus goes to the first field it names.
  useEffect(() => {
    const first = TOKEN_KEYS.find((k) => refusalsOf(problems, sent.current).has(k));
    if (first) document.getElementById(`theme-${first}`)?.focus();
  }, [problems]);

  function change(key: ThemeKey, value: string) {
    setDraft((d) => ({ ...d, [key]: value }));
    const checked = checkValue(key, value);
    if (!checked.problem) setLastGood((g) => ({ ...g, [key]: checked.value }));
    setEdited((e) => new Set(e).add(key));
  }

  function problemOf(key: ThemeKey): string | undefined {
    if (!edited.has(key) && refused.has(key)) return refused.get(key);
    const checked = checks[key];
    if (!checked.problem) return undefined;
    const format = t(`theme.bad.${THEME_TOKENS[key].kind}`);
    if (checked.problem === 'unsafe') return `${t('theme.unsafe')} ${format}`;
    return checkAll || left.has(key) ? format : undefined;
  }

  /** Puts the theme as the server now stores it in the fields, and the fresh partner in the portal. */
  async function takeStored(pairs: ThemePair[]): Promise<void> {
    const now = draftOf(pairs);
    setSaved(now);
    setDraft(now);
    setLastGood(previewOf(now));
    setLeft(new Set());
    setCheckAll(false);
    // The theme is saved either way; a failed refresh only leaves the portal's header as it was.
    await getProfile().then(partnerChanged, () => undefined);
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const bad = TOKEN_KEYS.filter((k) => checks[k].problem);
    if (bad.length > 0) {
      clear();
      setCheckAll(true);
      setCheckError(t('theme.invalid'));
      document.getElementById(`theme-${bad[0]}`)?.focus();
      return;
    }
    setCheckError(null);
    const pairs = TOKEN_KEYS.filter((k) => checks[k].value !== null).map((k) => ({ cssKey: k, cssValue: draft[k].trim() }));
    sent.current = pairs.map((p) => p.cssKey);
    setEdited(new Set());
    void save(async () => {
      await takeStored(await saveTheme(pairs));
      return text('theme.saved');
    });
  }

  function reset() {
    setConfirming(false);
    setCheckError(null);
    sent.current = [];
    setEdited(new Set());
    void save(async () => {
      await takeStored(await saveTheme([]));
      return text('theme.resetDone');
    });
  }

  return (
    <div className="theme-layout">
      <form className="card theme-editor" onSubmit={submit} noValidate aria-labelledby="theme-editor-title" data-testid="theme-form">
        <h2 id="theme-editor-title">{t('theme.editor')}</h2>
        <p className="hint">{t('theme.editorHint')}</p>
        {GROUPS.map((g) => (
          <fieldset key={g.id} className="theme-group" data-testid={`theme-group-${g.id}`}>
            <legend>{t(`theme.group.${g.id}`)}</legend>
            {g.keys.map((k) => (
              <TokenField key={k} t={t} k={k} text={draft[k]} problem={problemOf(k)} onChange={change} onLeave={(key) => setLeft((l) => new Set(l).add(key))} />
            ))}
          </fieldset>
        ))}
        <div className="theme-actions">
          <button type="button" className="button ghost" disabled={busy} onClick={() => setConfirming(true)} data-testid="theme-reset">
            {t('theme.reset')}
          </button>
          <SaveActions prefix="theme" error={checkError ?? error} status={status} busy={busy} label={t('theme.save')} />
        </div>
      </form>
      <ThemePreview values={preview} brand={{ name: partner.branding || partner.name, logoUrl: partner.logoUrl }} unsaved={unsaved} />
      {confirming && (
        <ConfirmDialog
          title={t('theme.resetTitle')}
          text={t('theme.resetText')}
          confirm={t('theme.resetConfirm')}
          danger
          busy={busy}
          testId="theme-reset-dialog"
          onConfirm={reset}
          onClose={() => setConfirming(false)}
        />
      )}
    </div>
  );
}
