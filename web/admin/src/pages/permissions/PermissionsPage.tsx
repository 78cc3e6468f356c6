// Who may do what: a matrix of the site's groups and agents × the permissions, edited with
// checkboxes and saved together (one request per changed row).
import { useState } from 'react';
import { fetchPermissions, setAgentPermissions, setGroupPermissions } from '../../api/panel.ts';
import { problemText } from '../../api/problems.ts';
import type { PermissionMatrix } from '../../api/types.ts';
import { LoadState, Page } from '../../components/Page.tsx';
import { ErrorLine, StatusLine } from '../../components/Status.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/i18n.ts';
import { changedRows, type Grants, grantsOf, ordered, type RowKey, toggled } from './grants.ts';
import { MatrixTable } from './MatrixTable.tsx';

export function PermissionsPage() {
  const t = useT();
  const matrix = useLoad(fetchPermissions);
  return (
    <Page id="permissions" intro={t('permissions.intro')}>
      {matrix.data ? <MatrixEditor matrix={matrix.data} onSaved={matrix.setData} /> : <LoadState error={matrix.error} onRetry={matrix.reload} />}
    </Page>
  );
}

/** Sends one changed row; the answer is the whole matrix as it now is. */
function saveRow(matrix: PermissionMatrix, draft: Grants, key: RowKey): Promise<PermissionMatrix> {
  const [kind, id] = key.split(':') as ['agent' | 'group', string];
  const permissions = ordered(matrix, draft[key]!);
  return kind === 'agent' ? setAgentPermissions(Number(id), permissions) : setGroupPermissions(Number(id), permissions);
}

function MatrixEditor({ matrix, onSaved }: { matrix: PermissionMatrix; onSaved: (m: PermissionMatrix) => void }) {
  const t = useT();
  const [draft, setDraft] = useState<Grants>(() => grantsOf(matrix));
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const saved = grantsOf(matrix);
  const changed = changedRows(saved, draft);

  /** Saves row by row; after a failure the rows saved so far count as saved, the others stay changed. */
  async function submit() {
    setBusy(true);
    setError(null);
    setStatus(null);
    let latest = matrix;
    try {
      for (const key of changed) latest = await saveRow(matrix, draft, key);
      setDraft(grantsOf(latest));
      setStatus(t('permissions.saved'));
    } catch (err) {
      setError(problemText(err, t('common.network')));
    } finally {
      onSaved(latest);
      setBusy(false);
    }
  }

  return (
    <>
      <MatrixTable matrix={matrix} draft={draft} onToggle={(key, p, on) => setDraft((d) => toggled(d, key, p, on))} />
      <p className="hint matrix-legend">
        {t('permissions.legendGroup')}
        <br />
        {t('permissions.legendAdmin')}
      </p>
      <div className="form-actions">
        <ErrorLine text={error} testId="permissions-error" />
        <StatusLine text={status ?? (changed.length > 0 ? t('permissions.unsaved', { count: changed.length }) : null)} testId="permissions-status" />
        <button type="button" className="button" disabled={busy || changed.length === 0} onClick={() => setDraft(grantsOf(matrix))} data-testid="permissions-discard">
          {t('permissions.discard')}
        </button>
        <button type="button" className="button primary" disabled={busy || changed.length === 0} onClick={() => void submit()} data-testid="permissions-save">
          {busy ? t('common.saving') : t('permissions.save')}
        </button>
      </div>
    </>
  );
}
