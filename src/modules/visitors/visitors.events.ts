// Events the visitors module publishes.

interface VisitorEventBase {
  siteId: number;
  visitorId: number;
}

/** An agent banned (or unbanned) the visitor: a banned visitor's tokens stop working. */
export interface VisitorBanned extends VisitorEventBase {
  name: 'visitor.banned' | 'visitor.unbanned';
  agentId: number;
}
/** The visitor's first real-time connection opened, or its last one closed. */
export interface VisitorPresenceChanged extends VisitorEventBase {
  name: 'visitor.online' | 'visitor.offline';
}

export type VisitorEvent = VisitorBanned | VisitorPresenceChanged;
