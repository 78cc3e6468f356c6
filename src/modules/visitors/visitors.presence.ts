// Who is on a site now, for the agents' visitor list: the page each visitor is on (reported by the
// widget), where they came from, how long they have been here, and whether an agent pinned them
// (capture) so they stay listed after leaving. Agents can also invite a visitor to chat.
import type { Kysely } from 'kysely';
import type { SiteContext } from '../../platform/context.ts';
import type { Executor } from '../../platform/db/database.ts';
import { Forbidden, InvalidState, NotFound } from '../../platform/errors.ts';
import type { EventLog } from '../../platform/events/index.ts';
import type { AgentsService } from '../agents/index.ts';
import type { VisitorEvent } from './visitors.events.ts';
import * as repo from './visitors.repository.ts';
import { presentVisitor } from './visitors.service.ts';
import type { Visitor, VisitorsTables } from './visitors.tables.ts';
import type { VisitorLocation, VisitorPresenceView } from './visitors.views.ts';

/** A visitor's open chat, as the list shows it. */
export type OpenChat = NonNullable<VisitorPresenceView['chat']>;

/** The open chat of each of these visitors (the chat module answers). */
export type OpenChatsOf = (siteId: number, visitorIds: number[], ex?: Executor) => Promise<Map<number, OpenChat>>;

/** A visit ends after this long without a page view; the next page view starts a new one. */
const VISIT_IDLE_MS = 30 * 60_000;
/** The longest list an agent gets (online visitors, then captured ones). */
const LIST_LIMIT = 500;

export interface PageView {
  url: string;
  title?: string | undefined;
  referrer?: string | undefined;
  timezone?: string | undefined;
  language?: string | undefined;
}

interface Deps {
  db: Kysely<VisitorsTables>;
  events: EventLog<VisitorsTables, VisitorEvent>;
  agents: Pick<AgentsService, 'card'>;
  openChats: OpenChatsOf;
  /** The ids of the site's visitors with a real-time connection open now, on any node. */
  onlineIds(siteId: number): Promise<number[]>;
  /** Whether one visitor has a real-time connection open now (without reading the site's roster). */
  isOnline(visitorId: number): Promise<boolean>;
}

function location(v: Visitor): VisitorLocation {
  const stored = v.location ? (JSON.parse(v.location) as Partial<VisitorLocation>) : {};
  return { country: stored.country ?? null, city: stored.city ?? null, timezone: stored.timezone ?? null, language: stored.language ?? null };
}

function agentOnly(ctx: SiteContext): number {
  if (ctx.actor.kind !== 'agent') throw new Forbidden('Only agents see and act on the visitor list.');
  return ctx.actor.agentId;
}

/** The visitor list and its actions. */
export function createVisitorPresence({ db, events, agents, openChats, onlineIds, isOnline }: Deps) {
  async function present(siteId: number, rows: Visitor[], online: Set<number>, ex?: Executor): Promise<VisitorPresenceView[]> {
    const chats = await openChats(siteId, rows.map((r) => r.id), ex);
    return rows.map((v) => ({
      ...presentVisitor(v),
      online: online.has(v.id),
      currentUrl: v.current_url,
      currentTitle: v.current_title,
      referrer: v.referrer,
      pageViews: v.page_views,
      visitStartedAt: v.visit_started_at,
      lastSeenAt: v.last_seen_at,
      location: location(v),
      capturedBy: v.captured_by,
      chat: chats.get(v.id) ?? null,
    }));
  }

  /** One visitor as the list shows it, read through `executor` (the caller's transaction, say). */
  /** Refuses an invitation to a visitor who is banned, not on the site now, or already chatting. */
  async function invitable(siteId: number, visitorId: number): Promise<void> {
    const visitor = await one(siteId, visitorId);
    if (visitor.isBanned) throw new InvalidState('This visitor is banned.');
    if (!visitor.online) throw new InvalidState('This visitor is not on the site now.');
    if (visitor.chat) throw new InvalidState('This visitor is already in a chat.');
  }

  async function one(siteId: number, visitorId: number, ex?: Executor): Promise<VisitorPresenceView> {
    const v = await repo.findVisitor(ex ?? db, siteId, visitorId);
    if (!v) throw new NotFound('visitor', visitorId);
    const online = new Set((await isOnline(visitorId)) ? [visitorId] : []);
    return (await present(siteId, [v], online, ex))[0]!;
  }

  return {
    view: one,

    /** One visitor of the site, for agents (a chat's visitor who is not on the list). */
    one(ctx: SiteContext, visitorId: number): Promise<VisitorPresenceView> {
      agentOnly(ctx);
      return one(ctx.siteId, visitorId);
    },

    /** Online visitors of the site and the captured ones, banned ones left out, the most recently active first. */
    async list(ctx: SiteContext): Promise<VisitorPresenceView[]> {
      agentOnly(ctx);
      const online = new Set(await onlineIds(ctx.siteId));
      const rows = await repo.listedVisitors(db, ctx.siteId, [...online].slice(0, LIST_LIMIT), LIST_LIMIT);
      return present(ctx.siteId, rows, online);
    },

    /** The widget reports the page its visitor is on. */
    async pageViewed(ctx: SiteContext, view: PageView, country: string | null): Promise<void> {
      if (ctx.actor.kind !== 'visitor') throw new Forbidden('Only visitors report page views.');
      const visitorId = ctx.actor.visitorId;
      const before = await repo.findVisitor(db, ctx.siteId, visitorId);
      if (!before) throw new NotFound('visitor', visitorId);
      const now = new Date();
      const newVisit = !before.visit_started_at || now.getTime() - Date.parse(before.last_seen_at) > VISIT_IDLE_MS || before.page_views === 0;
      const loc = location(before);
      await events.transaction(async (trx, emit) => {
        await repo.recordPageView(trx, ctx.siteId, visitorId, {
          url: view.url,
          title: view.title ?? null,
          // The referrer of the visit is the one its first page had.
          referrer: newVisit ? (view.referrer ?? null) : before.referrer,
          newVisit,
          at: now.toISOString(),
          location: JSON.stringify({ ...loc, country: country ?? loc.country, timezone: view.timezone ?? loc.timezone, language: view.language ?? loc.language }),
        });
        emit({ name: 'visitor.pageViewed', siteId: ctx.siteId, visitorId, visitor: await one(ctx.siteId, visitorId, trx) });
      });
    },

    /** Pins the visitor to the list (capture) or lets it go when it leaves (release). */
    async capture(ctx: SiteContext, visitorId: number, captured: boolean): Promise<VisitorPresenceView> {
      const agentId = agentOnly(ctx);
      return events.transaction(async (trx, emit) => {
        if (!(await repo.setCaptured(trx, ctx.siteId, visitorId, captured ? agentId : null))) throw new NotFound('visitor', visitorId);
        const visitor = await one(ctx.siteId, visitorId, trx);
        emit({ name: captured ? 'visitor.captured' : 'visitor.released', siteId: ctx.siteId, visitorId, agentId, visitor });
        return visitor;
      });
    },

    /** Invites a visitor who is on the site to chat with the calling agent. */
    async invite(ctx: SiteContext, visitorId: number, message: string | undefined): Promise<void> {
      const agentId = agentOnly(ctx);
      await invitable(ctx.siteId, visitorId);
      const agent = await agents.card(ctx.siteId, agentId);
      if (!agent) throw new NotFound('agent', agentId);
      // An invitation changes nothing stored: the event is the whole record of it.
      await events.emit({ name: 'visitor.invited', siteId: ctx.siteId, visitorId, agent, message: message ?? null });
    },

    /**
     * The calling visitor's campaign invites it on an agent's behalf (the widget applies the
     * campaign's rules); the same `chatInvited` as an agent's invitation.
     */
    async inviteOnBehalf(ctx: SiteContext, agentId: number, message: string): Promise<void> {
      if (ctx.actor.kind !== 'visitor') throw new Forbidden('Only the visitor asks for its campaign invitation.');
      const visitorId = ctx.actor.visitorId;
      await invitable(ctx.siteId, visitorId);
      const agent = await agents.card(ctx.siteId, agentId);
      if (!agent) throw new NotFound('agent', agentId);
      await events.emit({ name: 'visitor.invited', siteId: ctx.siteId, visitorId, agent, message });
    },
  };
}

export type VisitorPresence = ReturnType<typeof createVisitorPresence>;
