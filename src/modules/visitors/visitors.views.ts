// How the API shows visitors. Types only, with no imports: the browser code (web/shared) uses them
// too, so the console and the widget read exactly what the server writes.

export type VisitorInfo = Record<string, string | number | boolean | null>;

export interface VisitorView {
  id: number;
  siteId: number;
  name: string | null;
  email: string | null;
  info: VisitorInfo;
  isBanned: boolean;
  createdAt: string;
}

export interface VisitorLocation {
  country: string | null;
  city: string | null;
  timezone: string | null;
  language: string | null;
}

export interface VisitorPresenceView extends VisitorView {
  online: boolean;
  currentUrl: string | null;
  currentTitle: string | null;
  referrer: string | null;
  pageViews: number;
  visitStartedAt: string | null;
  lastSeenAt: string;
  location: VisitorLocation;
  capturedBy: number | null;
  chat: { id: number; status: 'bot' | 'queued' | 'assigned' | 'active' | 'ended'; agentId: number | null } | null;
}
