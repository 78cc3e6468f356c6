// Canned messages: replies an agent keeps ready and inserts by typing `/shortcut`. Each agent has
// its own; site admins keep a shared set every agent of the site sees. A shortcut is unique per
// owner (an agent's own may shadow a shared one).
import type { Kysely, Selectable } from 'kysely';
import type { SiteContext } from '../../platform/context.ts';
import { isUniqueViolation } from '../../platform/db/database.ts';
import type { CannedMessagesTable, DB } from '../../platform/db/schema.ts';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.ts';

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

function present(r: Selectable<CannedMessagesTable>): CannedView {
  return { id: r.id, shortcut: r.shortcut, title: r.title, content: r.content, shared: r.agent_id === null, agentId: r.agent_id, updatedAt: r.updated_at };
}

function caller(ctx: SiteContext): { agentId: number; admin: boolean } {
  if (ctx.actor.kind !== 'agent') throw new Forbidden('Canned messages belong to agents.');
  return { agentId: ctx.actor.agentId, admin: ctx.actor.role === 'admin' };
}

/** Canned message operations. */
export function createCannedService(db: Kysely<DB>) {
  /** The row, if the caller may change it: its own, or a shared one for an admin. */
  async function editable(ctx: SiteContext, id: number) {
    const me = caller(ctx);
    const row = await db.selectFrom('canned_messages').selectAll().where('site_id', '=', ctx.siteId).where('id', '=', id).executeTakeFirst();
    if (!row || (row.agent_id !== null && row.agent_id !== me.agentId)) throw new NotFound('canned message', id);
    if (row.agent_id === null && !me.admin) throw new Forbidden('Only a site admin changes shared canned messages.');
    return row;
  }

  function duplicate(err: unknown, shortcut: string): never {
    if (isUniqueViolation(err)) throw new Conflict(`The shortcut /${shortcut} is taken.`, { reason: 'shortcut-taken' });
    throw err;
  }

  return {
    /** The caller's own canned messages and the site's shared ones, by shortcut. */
    async list(ctx: SiteContext): Promise<CannedView[]> {
      const { agentId } = caller(ctx);
      const rows = await db
        .selectFrom('canned_messages')
        .selectAll()
        .where('site_id', '=', ctx.siteId)
        .where((eb) => eb.or([eb('agent_id', '=', agentId), eb('agent_id', 'is', null)]))
        .orderBy('shortcut')
        .orderBy('id')
        .execute();
      return rows.map(present);
    },

    async create(ctx: SiteContext, input: CannedInput): Promise<CannedView> {
      const me = caller(ctx);
      if (input.shared && !me.admin) throw new Forbidden('Only a site admin adds shared canned messages.');
      const owner = input.shared ? null : me.agentId;
      const count = await db
        .selectFrom('canned_messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('site_id', '=', ctx.siteId)
        .where((eb) => (owner === null ? eb('agent_id', 'is', null) : eb('agent_id', '=', owner)))
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= PER_OWNER) throw new Conflict(`At most ${PER_OWNER} canned messages each; delete some first.`, { reason: 'canned-limit' });
      const row = await db
        .insertInto('canned_messages')
        .values({ site_id: ctx.siteId, agent_id: owner, shortcut: input.shortcut.toLowerCase(), title: input.title.trim(), content: input.content })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch((err: unknown) => duplicate(err, input.shortcut));
      return present(row);
    },

    async update(ctx: SiteContext, id: number, change: Partial<Omit<CannedInput, 'shared'>>): Promise<CannedView> {
      await editable(ctx, id);
      const row = await db
        .updateTable('canned_messages')
        .set({
          ...(change.shortcut !== undefined && { shortcut: change.shortcut.toLowerCase() }),
          ...(change.title !== undefined && { title: change.title.trim() }),
          ...(change.content !== undefined && { content: change.content }),
          updated_at: new Date().toISOString(),
        })
        .where('site_id', '=', ctx.siteId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch((err: unknown) => duplicate(err, change.shortcut ?? ''));
      return present(row);
    },

    async remove(ctx: SiteContext, id: number): Promise<void> {
      await editable(ctx, id);
      await db.deleteFrom('canned_messages').where('site_id', '=', ctx.siteId).where('id', '=', id).execute();
    },
  };
}

export type CannedService = ReturnType<typeof createCannedService>;
