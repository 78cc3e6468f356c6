// The visitors module's tables, as Kysely sees them. Only this module's repositories query them;
// other modules go through modules/visitors/index.ts.
import type { ColumnType, Selectable } from 'kysely';
import type { CreatedAt, Flag, Id, Timestamp } from '../../platform/db/columns.ts';

export interface VisitorsTable {
  id: Id;
  site_id: number;
  name: string | null;
  email: string | null;
  customer_token: string | null;
  phone: ColumnType<string | null, string | null | undefined, string | null>;
  info: ColumnType<string, string | undefined, string>;
  is_banned: Flag;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  current_url: ColumnType<string | null, string | null | undefined, string | null>;
  current_title: ColumnType<string | null, string | null | undefined, string | null>;
  referrer: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON: {country, city, timezone, language}. */
  location: ColumnType<string | null, string | null | undefined, string | null>;
  page_views: ColumnType<number, number | undefined, number>;
  /** When the current visit began (a page view after 30 idle minutes starts a new one). */
  visit_started_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** The agent who pinned the visitor to the visitor list. */
  captured_by: ColumnType<number | null, number | null | undefined, number | null>;
}

// A type, not an interface: Kysely's withTables() wants an index signature.
export type VisitorsTables = {
  visitors: VisitorsTable;
};

export type Visitor = Selectable<VisitorsTable>;
