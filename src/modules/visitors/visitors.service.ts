// Visitors open a session on a site and get a signed token for REST and real-time calls.
import type { Kysely } from 'kysely';
import type { SiteContext } from '../../platform/context.ts';
import { type DB, flag, type Visitor } from '../../platform/db/schema.ts';
import { Forbidden, NotFound } from '../../platform/errors.ts';
import type { EventLog } from '../../platform/events/index.ts';
import type { Principal } from '../../platform/http/access.ts';
import type { IdentityService, IssuedToken } from '../identity/index.ts';
import { siteIsOpen, type TenancyService } from '../tenancy/index.ts';
import type { VisitorEvent } from './visitors.events.ts';
import { createVisitorPresence } from './visitors.presence.ts';
import type { VisitorInfo, VisitorView } from './visitors.views.ts';

export type { VisitorInfo, VisitorView };
import { findVisitor, insertVisitor, setVisitorBanned, touchVisitor } from './visitors.repository.ts';

/** Shapes a visitor row for the API. */
export function presentVisitor(v: Visitor): VisitorView {
  return { id: v.id, siteId: v.site_id, name: v.name, email: v.email, info: JSON.parse(v.info) as VisitorInfo, isBanned: flag(v.is_banned), createdAt: v.created_at };
}

export interface OpenSessionInput {
  name?: string | undefined;
  email?: string | undefined;
  info?: VisitorInfo | undefined;
}

interface Deps {
  db: Kysely<DB>;
  identity: IdentityService;
  tenancy: TenancyService;
  events: EventLog<DB, VisitorEvent>;
  /** The ids of the site's visitors with a real-time connection open now, on any node. */
  onlineIds(siteId: number): Promise<number[]>;
  /** Whether one visitor has a real-time connection open now. */
  isOnline(visitorId: number): Promise<boolean>;
}

/** Visitor operations. */
export function createVisitorsService({ db, identity, tenancy, events, onlineIds, isOnline }: Deps) {
  const presence = createVisitorPresence({ db, events, onlineIds, isOnline });
  return {
    presence,

    /** Bans or unbans a visitor of the site (agents); a banned visitor's tokens stop working. */
    async setBanned(ctx: SiteContext, visitorId: number, banned: boolean): Promise<VisitorView> {
      if (ctx.actor.kind !== 'agent') throw new Forbidden('Only agents ban visitors.');
      const agentId = ctx.actor.agentId;
      const before = await events.transaction(async (trx, emit) => {
        const row = await setVisitorBanned(trx, ctx.siteId, visitorId, banned);
        if (!row) throw new NotFound('client', visitorId);
        if (flag(row.is_banned) !== banned) emit({ name: banned ? 'visitor.banned' : 'visitor.unbanned', siteId: ctx.siteId, visitorId, agentId });
        return row;
      });
      return presentVisitor({ ...before, is_banned: banned });
    },

    /** Announces that a visitor came online or went offline (its first or last real-time connection). */
    async presenceChanged(siteId: number, visitorId: number, online: boolean): Promise<void> {
      // Presence lives in the broker, not the database: the event is the only record of the change.
      if (!online) return events.emit({ name: 'visitor.offline', siteId, visitorId });
      await events.emit({ name: 'visitor.online', siteId, visitorId, visitor: await presence.view(siteId, visitorId) });
    },

    /**
     * Opens a visitor session on a site. A caller that already holds a valid token of the same
     * site keeps its visitor (and history) and gets a fresh token.
     */
    async openSession(
      siteId: number,
      input: OpenSessionInput,
      caller: Principal | null,
    ): Promise<{ visitor: VisitorView; created: boolean } & IssuedToken> {
      const site = await tenancy.findSite(siteId);
      // A closed site looks the same as a missing one to the public.
      if (!site || !siteIsOpen(site)) throw new NotFound('site', siteId);
      // Agents see the name or e-mail a visitor gives (the pre-chat form) at once.
      const said = input.name !== undefined || input.email !== undefined || input.info !== undefined;
      const existing =
        caller?.kind === 'visitor' && caller.siteId === siteId
          ? await events.transaction(async (trx, emit) => {
              const touched = await touchVisitor(trx, siteId, caller.visitorId, input);
              if (touched && said) emit({ name: 'visitor.updated', siteId, visitorId: touched.id, visitor: await presence.view(siteId, touched.id, trx) });
              return touched;
            })
          : undefined;
      const visitor = existing ?? (await insertVisitor(db, siteId, input));
      const created = existing === undefined;
      const token = await identity.issueVisitorToken(siteId, visitor.id);
      return { visitor: presentVisitor(visitor), created, ...token };
    },

    /** One visitor of a site. */
    async get(siteId: number, visitorId: number): Promise<VisitorView> {
      const v = await findVisitor(db, siteId, visitorId);
      if (!v) throw new NotFound('visitor', visitorId);
      return presentVisitor(v);
    },
  };
}

export type VisitorsService = ReturnType<typeof createVisitorsService>;
