// The reports module's own tables (src/migrations/0012_reports.ts); only this folder reads or writes them.

export interface ReportRollupsTable {
  site_id: number;
  partner_id: number;
  /** The quarter hour (UTC) counted in: milliseconds since the epoch / 900,000. */
  bucket: number;
  metric: string;
  /** 0: no agent (or group); '' no channel. */
  agent_id: number;
  group_id: number;
  channel: string;
  /** A histogram's bin (its upper edge in seconds), or a survey option; 0 for plain counts. */
  bin: number;
  n: number;
  /** A sum of milliseconds (durations), or 0. */
  total: number;
}

/** The rollups of a site's UTC days, without agents and groups (summaries over many days read these). */
export interface ReportDaysTable {
  site_id: number;
  partner_id: number;
  /** Days since the epoch (UTC). */
  day: number;
  metric: string;
  channel: string;
  bin: number;
  n: number;
  total: number;
}

export interface ReportStateTable {
  site_id: number;
  partner_id: number;
  /** `chat:<id>`, `agent:<id>`, `survey:<chatId>` or `rating:<messageId>`. */
  key: string;
  /** JSON. */
  state: string;
}

export interface ReportPositionTable {
  id: number;
  /** The last event counted. */
  position: number;
  /** While a rebuild runs: until when (ms since the epoch) the listener holds off; 0 otherwise. */
  rebuild_until: number;
}

// A type, not an interface: Kysely's withTables() wants an index signature.
export type ReportsTables = {
  report_rollups: ReportRollupsTable;
  report_days: ReportDaysTable;
  report_state: ReportStateTable;
  report_position: ReportPositionTable;
};
