// The permission matrix being edited: each agent's and group's own grants, and which rows differ
// from what the server has.
import type { Permission, PermissionMatrix } from '../../api/types.ts';

export type RowKey = `agent:${number}` | `group:${number}`;
export type Grants = Record<RowKey, ReadonlySet<Permission>>;

/** The grants as the server has them. */
export function grantsOf(matrix: PermissionMatrix): Grants {
  const grants: Grants = {};
  for (const a of matrix.agents) grants[`agent:${a.agentId}`] = new Set(a.granted);
  for (const g of matrix.groups) grants[`group:${g.groupId}`] = new Set(g.granted);
  return grants;
}

const same = (a: ReadonlySet<Permission>, b: ReadonlySet<Permission>) => a.size === b.size && [...a].every((p) => b.has(p));

/** The rows whose grants differ from the server's. */
export function changedRows(saved: Grants, draft: Grants): RowKey[] {
  return (Object.keys(draft) as RowKey[]).filter((key) => !same(saved[key] ?? new Set(), draft[key]!));
}

/** The grants with one permission of one row turned on or off. */
export function toggled(draft: Grants, key: RowKey, permission: Permission, on: boolean): Grants {
  const next = new Set(draft[key]);
  if (on) next.add(permission);
  else next.delete(permission);
  return { ...draft, [key]: next };
}

/** A row's grants in the server's order of permissions. */
export const ordered = (matrix: PermissionMatrix, set: ReadonlySet<Permission>) => matrix.permissions.filter((p) => set.has(p));
