// Events the visitors module publishes.
import type { VisitorPresenceView } from './visitors.views.ts';

interface VisitorEventBase {
  siteId: number;
  visitorId: number;
}

/** An agent banned (or unbanned) the visitor: a banned visitor's tokens stop working. */
export interface VisitorBanned extends VisitorEventBase {
  name: 'visitor.banned' | 'visitor.unbanned';
  agentId: number;
}
/** The visitor's first real-time connection opened (with how the visitor list shows it), or its last one closed. */
export interface VisitorPresenceChanged extends VisitorEventBase {
  name: 'visitor.online' | 'visitor.offline';
  visitor?: VisitorPresenceView | undefined;
}
/** The visitor opened a page of the site, or said who they are (name, e-mail, details). */
export interface VisitorPageViewed extends VisitorEventBase {
  name: 'visitor.pageViewed' | 'visitor.updated';
  visitor: VisitorPresenceView;
}
/** An agent pinned the visitor to the visitor list, or let it go. */
export interface VisitorCaptured extends VisitorEventBase {
  name: 'visitor.captured' | 'visitor.released';
  agentId: number;
  visitor: VisitorPresenceView;
}
/** An agent invited the visitor to chat. */
export interface VisitorInvited extends VisitorEventBase {
  name: 'visitor.invited';
  agent: { id: number; name: string; avatarUrl: string | null };
  message: string | null;
}

export type VisitorEvent = VisitorBanned | VisitorPresenceChanged | VisitorPageViewed | VisitorCaptured | VisitorInvited;
