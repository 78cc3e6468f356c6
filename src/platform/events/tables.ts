// The event log's own tables; only this folder reads or writes them.
import type { ColumnType, Generated } from 'kysely';

export interface EventsTable {
  id: Generated<number>;
  site_id: number | null;
  partner_id: number | null;
  /** The event's past-tense dotted name, e.g. `message.created`. */
  type: string;
  /** The rest of the event, as JSON. */
  payload: string;
  created_at: ColumnType<string, string | undefined, never>;
}

export interface EventCursorsTable {
  /** The listener's stable name, e.g. `realtime`. */
  listener: string;
  /** The id of the last event the listener has handled. */
  position: ColumnType<number, number | undefined, number>;
  /** The node reading for this listener until `lease_until`. */
  lease_owner: string | null;
  lease_until: string | null;
  updated_at: ColumnType<string, string | undefined, string>;
}

// A type, not an interface: Kysely's withTables() wants an index signature.
export type EventTables = {
  events: EventsTable;
  event_cursors: EventCursorsTable;
};
