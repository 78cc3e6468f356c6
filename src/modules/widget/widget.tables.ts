// The widget module's tables, as Kysely sees them. Only this module's repositories query them;
// other modules go through modules/widget/index.ts.
import type { Selectable } from 'kysely';
import type { CreatedAt, Id, Timestamp } from '../../platform/db/columns.ts';

/** A site's campaign: the widget's look, forms and invitation rules (`settings`, JSON). */
export interface CampaignsTable {
  id: Id;
  site_id: number;
  name: string;
  settings: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

// A type, not an interface: Kysely's withTables() wants an index signature.
export type WidgetTables = {
  campaigns: CampaignsTable;
};

export type Campaign = Selectable<CampaignsTable>;
