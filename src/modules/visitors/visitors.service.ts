// Visitors open a session on a site and get a signed token for REST and real-time calls; IM API
// customers are visitors with a customer token. Other modules reach visitors through this door.
import type { Kysely } from 'kysely';
import { requirePermission, type SiteContext } from '../../platform/context.ts';
import { flag } from '../../platform/db/columns.ts';
import { type Dialect, type Executor, isUniqueViolation } from '../../platform/db/database.ts';
import { Forbidden, NotFound } from '../../platform/errors.ts';
import type { EventLog } from '../../platform/events/index.ts';
import type { Principal } from '../../platform/http/access.ts';
import type { AgentsService } from '../agents/index.ts';
import type { IdentityService, IssuedToken } from '../identity/index.ts';
import type { TenancyService } from '../tenancy/index.ts';
import type { VisitorEvent } from './visitors.events.ts';
import { createVisitorPresence, type OpenChatsOf, type PageView } from './visitors.presence.ts';
import * as repo from './visitors.repository.ts';
import type { Visitor, VisitorsTables } from './visitors.tables.ts';
import type { VisitorInfo, VisitorPresenceView, VisitorView } from './visitors.views.ts';

export type { VisitorInfo, VisitorView };
export type { CustomerFields } from './visitors.repository.ts';

/** Shapes a visitor row for the API. */
export function presentVisitor(v: Visitor): VisitorView {
  return { id: v.id, siteId: v.site_id, name: v.name, email: v.email, info: JSON.parse(v.info) as VisitorInfo, isBanned: flag(v.is_banned), createdAt: v.created_at };
}

export interface OpenSessionInput {
  name?: string | undefined;
  email?: string | undefined;
  info?: VisitorInfo | undefined;
}

/** An IM API customer: a visitor with the customer token its application knows it by. */
export interface CustomerRecord {
  id: number;
  siteId: number;
  customerToken: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  info: Record<string, unknown>;
  isBanned: boolean;
  createdAt: string;
  lastSeenAt: string;
}

/** A visitor's ways to be reached. */
export interface VisitorContact {
  id: number;
  name: string | null;
  email: string | null;
  phone: string | null;
  customerToken: string | null;
}

/** The visitors module's door. */
export interface VisitorsService {
  /** The agents' visitor list and its actions. */
  presence: {
    one(ctx: SiteContext, visitorId: number): Promise<VisitorPresenceView>;
    list(ctx: SiteContext): Promise<VisitorPresenceView[]>;
    pageViewed(ctx: SiteContext, view: PageView, country: string | null): Promise<void>;
    capture(ctx: SiteContext, visitorId: number, captured: boolean): Promise<VisitorPresenceView>;
    invite(ctx: SiteContext, visitorId: number, message: string | undefined): Promise<void>;
    /** The calling visitor's campaign invites it on behalf of an available agent. */
    inviteOnBehalf(ctx: SiteContext, agentId: number, message: string): Promise<void>;
  };
  /** Bans or unbans a visitor of the site (agents); a banned visitor's tokens stop working. */
  setBanned(ctx: SiteContext, visitorId: number, banned: boolean): Promise<VisitorView>;
  /** Announces that a visitor came online or went offline (its first or last real-time connection). */
  presenceChanged(siteId: number, visitorId: number, online: boolean): Promise<void>;
  /** Opens a visitor session on a site (keeping the caller's visitor if it holds a token of the site). */
  openSession(siteId: number, input: OpenSessionInput, caller: Principal | null): Promise<{ visitor: VisitorView; created: boolean } & IssuedToken>;
  /** The ids of a site's visitors seen since `since` (ISO-8601). */
  recentIds(siteId: number, since: string): Promise<number[]>;
  /** One visitor of a site. */
  get(siteId: number, visitorId: number): Promise<VisitorView>;
  /** Name, e-mail, phone and customer token of these visitors, by id. */
  contacts(siteId: number, visitorIds: number[], ex?: Executor): Promise<Map<number, VisitorContact>>;
  /** Ids of the site's visitors whose name or e-mail matches a lower-case LIKE pattern (escaped with `\`). */
  idsMatching(siteId: number, pattern: string, limit: number): Promise<number[]>;
  /** IM API customers of a site. */
  customers: {
    find(siteId: number, token: string): Promise<CustomerRecord | undefined>;
    /** Changes the given fields of an existing customer; undefined when there is none. */
    update(siteId: number, token: string, fields: repo.CustomerFields): Promise<CustomerRecord | undefined>;
    /** Creates the customer or changes the given fields of the existing one. */
    save(siteId: number, token: string, fields: repo.CustomerFields): Promise<{ customer: CustomerRecord; created: boolean }>;
    /** The visitor id of a customer token, if the site has that customer. */
    idOf(siteId: number, token: string): Promise<number | undefined>;
    /**
     * Takes back a customer this call created when what it was created for was refused; kept if
     * `inUse` (asked inside the transaction, with the customer's row locked) finds it in use.
     */
    discardIfUnused(siteId: number, visitorId: number, inUse: (ex: Executor) => Promise<boolean>): Promise<void>;
  };
  /** Sets a visitor's name (an offline message may give one). */
  rename(siteId: number, visitorId: number, name: string): Promise<void>;
  /** How many visitors a site has. */
  countOfSite(siteId: number): Promise<number>;
}

export interface VisitorsDeps {
  db: Kysely<VisitorsTables>;
  dialect: Dialect;
  identity: Pick<IdentityService, 'issueVisitorToken' | 'answerForVisitors'>;
  tenancy: Pick<TenancyService, 'siteState'>;
  agents: Pick<AgentsService, 'card'>;
  events: EventLog<VisitorsTables, VisitorEvent>;
  /** The open chat of each of these visitors (the chat module answers). */
  openChats: OpenChatsOf;
  /** The ids of the site's visitors with a real-time connection open now, on any node. */
  onlineIds(siteId: number): Promise<number[]>;
  /** Whether one visitor has a real-time connection open now. */
  isOnline(visitorId: number): Promise<boolean>;
}

function presentCustomer(v: Visitor): CustomerRecord {
  return {
    id: v.id,
    siteId: v.site_id,
    customerToken: v.customer_token ?? '',
    name: v.name,
    email: v.email,
    phone: v.phone,
    info: JSON.parse(v.info) as Record<string, unknown>,
    isBanned: flag(v.is_banned),
    createdAt: v.created_at,
    lastSeenAt: v.last_seen_at,
  };
}

/** Visitor operations. */
export function createVisitorsService({ db, dialect, identity, tenancy, agents, events, openChats, onlineIds, isOnline }: VisitorsDeps): VisitorsService {
  const presence = createVisitorPresence({ db, events, agents, openChats, onlineIds, isOnline });
  // A visitor token works while its visitor exists, is not banned and its site is open.
  identity.answerForVisitors({
    async mayAct(visitorId, siteId) {
      const v = await repo.findVisitor(db, siteId, visitorId);
      return v !== undefined && !flag(v.is_banned) && (await tenancy.siteState(siteId))?.open === true;
    },
  });
  const customers: VisitorsService['customers'] = {
    async find(siteId, token) {
      const v = await repo.findCustomer(db, siteId, token);
      return v && presentCustomer(v);
    },
    async update(siteId, token, fields) {
      const v = await repo.updateCustomer(db, siteId, token, fields);
      return v && presentCustomer(v);
    },
    async save(siteId, token, fields) {
      const existing = await repo.updateCustomer(db, siteId, token, fields);
      if (existing) return { customer: presentCustomer(existing), created: false };
      try {
        return { customer: presentCustomer(await repo.insertCustomer(db, siteId, token, fields)), created: true };
      } catch (err) {
        // A concurrent call created the same customer first.
        if (!isUniqueViolation(err)) throw err;
        const winner = await repo.updateCustomer(db, siteId, token, fields);
        if (!winner) throw err;
        return { customer: presentCustomer(winner), created: false };
      }
    },
    async idOf(siteId, token) {
      return (await repo.findCustomer(db, siteId, token))?.id;
    },
    async discardIfUnused(siteId, visitorId, inUse) {
      await db.transaction().execute(async (trx) => {
        // The lock makes a chat being opened for the customer wait for this decision, or be seen by it.
        if (!(await repo.lockVisitor(trx, dialect, siteId, visitorId))) return;
        if (!(await inUse(trx))) await repo.deleteVisitor(trx, siteId, visitorId);
      });
    },
  };
  return {
    presence,

    /** Bans or unbans a visitor of the site (agents); a banned visitor's tokens stop working. */
    async setBanned(ctx: SiteContext, visitorId: number, banned: boolean): Promise<VisitorView> {
      if (ctx.actor.kind !== 'agent') throw new Forbidden('Only agents ban visitors.');
      requirePermission(ctx, 'banVisitors', 'ban visitors');
      const agentId = ctx.actor.agentId;
      const before = await events.transaction(async (trx, emit) => {
        const row = await repo.setVisitorBanned(trx, ctx.siteId, visitorId, banned);
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
      // The snapshot is read at append time: a page view committing meanwhile is then either in it
      // or after it in the log, never newer under a lower id (clients keep the last one they get).
      await events.emit(async (trx) => ({ name: 'visitor.online', siteId, visitorId, visitor: await presence.view(siteId, visitorId, trx) }));
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
      // A closed site looks the same as a missing one to the public.
      if ((await tenancy.siteState(siteId))?.open !== true) throw new NotFound('site', siteId);
      // Agents see the name or e-mail a visitor gives (the pre-chat form) at once.
      const said = input.name !== undefined || input.email !== undefined || input.info !== undefined;
      const existing =
        caller?.kind === 'visitor' && caller.siteId === siteId
          ? await events.transaction(async (trx, emit) => {
              const touched = await repo.touchVisitor(trx, siteId, caller.visitorId, input);
              if (touched && said) emit({ name: 'visitor.updated', siteId, visitorId: touched.id, visitor: await presence.view(siteId, touched.id, trx) });
              return touched;
            })
          : undefined;
      const visitor = existing ?? (await repo.insertVisitor(db, siteId, input));
      const created = existing === undefined;
      const token = await identity.issueVisitorToken(siteId, visitor.id);
      return { visitor: presentVisitor(visitor), created, ...token };
    },

    recentIds: (siteId, since) => repo.recentVisitorIds(db, siteId, since),

    /** One visitor of a site. */
    async get(siteId: number, visitorId: number): Promise<VisitorView> {
      const v = await repo.findVisitor(db, siteId, visitorId);
      if (!v) throw new NotFound('visitor', visitorId);
      return presentVisitor(v);
    },

    async contacts(siteId, visitorIds, ex) {
      const rows = await repo.contactsOf(ex ?? db, siteId, visitorIds);
      return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, email: r.email, phone: r.phone, customerToken: r.customer_token }]));
    },
    idsMatching: (siteId, pattern, limit) => repo.visitorIdsMatching(db, siteId, pattern, limit),
    customers,
    rename: (siteId, visitorId, name) => repo.renameVisitor(db, siteId, visitorId, name),
    countOfSite: (siteId) => repo.countVisitors(db, siteId),
  };
}
