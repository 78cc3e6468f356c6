// Canned messages: replies an agent keeps ready and inserts by typing `/shortcut`. Each agent has
// its own; site admins keep a shared set every agent of the site sees. A shortcut is unique per
// owner (an agent's own may shadow a shared one).
import type { Kysely } from 'kysely';
import type { SiteContext } from '../../platform/context.ts';
import { isUniqueViolation } from '../../platform/db/database.ts';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.ts';
import { countCanned, deleteCanned, findCanned, insertCanned, listCanned, updateCanned } from './canned.repository.ts';
import type { CannedMessage, CannedTables } from './canned.tables.ts';

/** Canned messages one owner (an agent, or the shared set) may keep. */
const PER_OWNER = 500;

export interface CannedView {
  id: number;
  shortcut: string;
  title: string;
  content: string;
  shared: boolean;
  agentId: number | null;
  updatedAt: string;
}

export interface CannedInput {
  shortcut: string;
  title: string;
  content: string;
  shared?: boolean | undefined;
}

function present(r: CannedMessage): CannedView {
  return { id: r.id, shortcut: r.shortcut, title: r.title, content: r.content, shared: r.agent_id === null, agentId: r.agent_id, updatedAt: r.updated_at };
}

function caller(ctx: SiteContext): { agentId: number; admin: boolean } {
  if (ctx.actor.kind !== 'agent') throw new Forbidden('Canned messages belong to agents.');
  // Shared messages: site admins, and agents granted manageCanned (read by the route).
  return { agentId: ctx.actor.agentId, admin: ctx.actor.role === 'admin' || ctx.actor.permissions?.has('manageCanned') === true };
}

/** Canned message operations: the door of the canned module. */
export interface CannedService {
  /** The caller's own canned messages and the site's shared ones, by shortcut. */
  list(ctx: SiteContext): Promise<CannedView[]>;
  /** Adds one of the caller's own, or (a site admin) a shared one. */
  create(ctx: SiteContext, input: CannedInput): Promise<CannedView>;
  /** Changes one the caller may change. */
  update(ctx: SiteContext, id: number, change: Partial<Omit<CannedInput, 'shared'>>): Promise<CannedView>;
  /** Deletes one the caller may change. */
  remove(ctx: SiteContext, id: number): Promise<void>;
}

/** Canned message operations. */
export function createCannedService(db: Kysely<CannedTables>): CannedService {
  /** The row, if the caller may change it: its own, or a shared one for an admin. */
  async function editable(ctx: SiteContext, id: number) {
    const me = caller(ctx);
    const row = await findCanned(db, ctx.siteId, id);
    if (!row || (row.agent_id !== null && row.agent_id !== me.agentId)) throw new NotFound('canned message', id);
    if (row.agent_id === null && !me.admin) throw new Forbidden('Changing shared canned messages needs the manageCanned permission.', { reason: 'permission', permission: 'manageCanned' });
    return row;
  }

  function duplicate(err: unknown, shortcut: string): never {
    if (isUniqueViolation(err)) throw new Conflict(`The shortcut /${shortcut} is taken.`, { reason: 'shortcut-taken' });
    throw err;
  }

  return {
    async list(ctx: SiteContext): Promise<CannedView[]> {
      return (await listCanned(db, ctx.siteId, caller(ctx).agentId)).map(present);
    },

    async create(ctx: SiteContext, input: CannedInput): Promise<CannedView> {
      const me = caller(ctx);
      if (input.shared && !me.admin) throw new Forbidden('Adding shared canned messages needs the manageCanned permission.', { reason: 'permission', permission: 'manageCanned' });
      const owner = input.shared ? null : me.agentId;
      if ((await countCanned(db, ctx.siteId, owner)) >= PER_OWNER) throw new Conflict(`At most ${PER_OWNER} canned messages each; delete some first.`, { reason: 'canned-limit' });
      const row = await insertCanned(db, ctx.siteId, owner, { shortcut: input.shortcut.toLowerCase(), title: input.title.trim(), content: input.content }).catch(
        (err: unknown) => duplicate(err, input.shortcut),
      );
      return present(row);
    },

    async update(ctx: SiteContext, id: number, change: Partial<Omit<CannedInput, 'shared'>>): Promise<CannedView> {
      await editable(ctx, id);
      const row = await updateCanned(db, ctx.siteId, id, {
        ...(change.shortcut !== undefined && { shortcut: change.shortcut.toLowerCase() }),
        ...(change.title !== undefined && { title: change.title.trim() }),
        ...(change.content !== undefined && { content: change.content }),
      }).catch((err: unknown) => duplicate(err, change.shortcut ?? ''));
      return present(row);
    },

    async remove(ctx: SiteContext, id: number): Promise<void> {
      await editable(ctx, id);
      await deleteCanned(db, ctx.siteId, id);
    },
  };
}
