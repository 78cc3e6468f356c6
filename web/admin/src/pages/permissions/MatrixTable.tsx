// The matrix itself: a column per permission, a row per group and per agent. A site admin's row is
// all checked and fixed; a dot marks what an agent holds through one of its groups.
import type { Permission, PermissionMatrix } from '../../api/types.ts';
import { useT } from '../../i18n/i18n.ts';
import type { Grants, RowKey } from './grants.ts';

interface Props {
  matrix: PermissionMatrix;
  draft: Grants;
  onToggle: (key: RowKey, permission: Permission, on: boolean) => void;
}

interface Row {
  key: RowKey;
  kind: 'agent' | 'group';
  id: number;
  name: string;
  admin: boolean;
  /** What the agent holds through its groups (as saved). */
  viaGroups: ReadonlySet<Permission>;
}

function rowsOf(matrix: PermissionMatrix): { groups: Row[]; agents: Row[] } {
  return {
    groups: matrix.groups.map((g) => ({ key: `group:${g.groupId}`, kind: 'group', id: g.groupId, name: g.name, admin: false, viaGroups: new Set() })),
    agents: matrix.agents.map((a) => ({
      key: `agent:${a.agentId}`,
      kind: 'agent',
      id: a.agentId,
      name: a.name,
      admin: a.role === 'admin',
      viaGroups: new Set(a.effective.filter((p) => !a.granted.includes(p))),
    })),
  };
}

export function MatrixTable({ matrix, draft, onToggle }: Props) {
  const t = useT();
  const { groups, agents } = rowsOf(matrix);
  const columns = matrix.permissions.length + 1;

  const row = (r: Row) => (
    <tr key={r.key} data-testid="matrix-row" data-kind={r.kind} data-id={r.id} data-admin={r.admin}>
      <th scope="row">
        {r.name}
        {r.admin && <span className="chip small">{t('role.admin')}</span>}
      </th>
      {matrix.permissions.map((p) => {
        const via = !r.admin && r.viaGroups.has(p);
        return (
          <td key={p} className="matrix-cell">
            <input
              type="checkbox"
              checked={r.admin || (draft[r.key]?.has(p) ?? false)}
              disabled={r.admin}
              onChange={(e) => onToggle(r.key, p, e.target.checked)}
              aria-label={t('permissions.cell', { who: r.name, permission: t(`permission.${p}`) })}
              data-permission={p}
            />
            {via && (
              <span className="via-group" title={t('permissions.viaGroup')} data-testid="via-group">
                <span aria-hidden="true">●</span>
                <span className="visually-hidden">{t('permissions.viaGroup')}</span>
              </span>
            )}
          </td>
        );
      })}
    </tr>
  );

  return (
    <div className="table-wrap">
      <table className="data-table matrix" data-testid="permissions-matrix">
        <caption className="visually-hidden">{t('permissions.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('permissions.who')}</th>
            {matrix.permissions.map((p) => (
              <th key={p} scope="col" className="matrix-head">
                {t(`permission.${p}`)}
              </th>
            ))}
          </tr>
        </thead>
        {groups.length > 0 && (
          <tbody>
            <tr className="matrix-section">
              <th colSpan={columns} scope="rowgroup">
                {t('permissions.groupsHeading')}
              </th>
            </tr>
            {groups.map(row)}
          </tbody>
        )}
        <tbody>
          <tr className="matrix-section">
            <th colSpan={columns} scope="rowgroup">
              {t('permissions.agentsHeading')}
            </th>
          </tr>
          {agents.map(row)}
        </tbody>
      </table>
    </div>
  );
}
