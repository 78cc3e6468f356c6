// Campaigns: a site may show its widget differently on different pages or sites of its own. Each
// campaign holds the chat button's and window's look, the pre-chat form, the offline message form,
// whether the post-chat survey is shown, and auto-invitation rules. The widget tag picks one
// (`data-campaign-id`); without one, the site's first. A site without campaigns uses its widget
// settings as before (docs/widget.md).
import type { Kysely } from 'kysely';
import { requirePermission, type SiteContext } from '../../platform/context.ts';
import { isUniqueViolation } from '../../platform/db/database.ts';
import { Conflict, NotFound } from '../../platform/errors.ts';
import { countCampaigns, deleteCampaign, findCampaign, insertCampaign, listCampaigns, updateCampaign } from './widget.repository.ts';
import type { Campaign, WidgetTables } from './widget.tables.ts';

export const fieldTypes = ['text', 'email', 'tel', 'textarea'] as const;

/** A field of the pre-chat form. name, email, phone and question are the visitor's own; others go to the visitor's info. */
export interface CampaignField {
  name: string;
  /** Shown above the field; the widget's own words for the standard fields when null. */
  label: string | null;
  type: (typeof fieldTypes)[number];
  required: boolean;
}

/** Show an invitation after `afterSeconds` on a page whose address contains `urlContains`, from the visitor's `onVisit`-th visit on. */
export interface InvitationRule {
  afterSeconds: number;
  /** Part of the page's address (case-insensitive); any page when null. */
  urlContains: string | null;
  /** The visit (1 = first) from which the rule applies; every visit when null. */
  onVisit: number | null;
  message: string;
}

export interface CampaignSettings {
  look: {
    /** The button's and header's colour (#rrggbb); the partner's theme when null. */
    color: string | null;
    position: 'right' | 'left';
    /** The chat button's text (a round button with an icon when null). */
    buttonText: string | null;
    /** The chat window's title (the company's name when null). */
    title: string | null;
    /** The picture in the window's header. */
    avatarUrl: string | null;
  };
  prechat: { enabled: boolean; message: string | null; fields: CampaignField[] };
  offline: { enabled: boolean; message: string | null };
  survey: { enabled: boolean };
  invitations: InvitationRule[];
}

export interface CampaignView {
  id: number;
  siteId: number;
  name: string;
  settings: CampaignSettings;
  createdAt: string;
  updatedAt: string;
}

export const defaultCampaignSettings: CampaignSettings = {
  look: { color: null, position: 'right', buttonText: null, title: null, avatarUrl: null },
  prechat: {
    enabled: false,
    message: null,
    fields: [
      { name: 'name', label: null, type: 'text', required: true },
      { name: 'email', label: null, type: 'email', required: false },
      { name: 'question', label: null, type: 'textarea', required: false },
    ],
  },
  offline: { enabled: true, message: null },
  survey: { enabled: true },
  invitations: [],
};

/** A change of some sections (and of some fields of a section). */
export type CampaignSettingsChange = {
  [K in keyof CampaignSettings]?: CampaignSettings[K] extends unknown[] ? CampaignSettings[K] : Partial<CampaignSettings[K]>;
};

const MAX_CAMPAIGNS = 50;

/** The fields of `base`'s shape taken from `change` where given (anything else in `change` is dropped). */
function over<T extends object>(base: T, change: Partial<T> | undefined): T {
  const out = { ...base };
  if (change) for (const k of Object.keys(base) as (keyof T)[]) if (change[k] !== undefined) out[k] = change[k] as T[keyof T];
  return out;
}

function merge(base: CampaignSettings, change: CampaignSettingsChange): CampaignSettings {
  return {
    look: over(base.look, change.look),
    prechat: over(base.prechat, change.prechat),
    offline: over(base.offline, change.offline),
    survey: over(base.survey, change.survey),
    invitations: change.invitations ?? base.invitations,
  };
}

function present(c: Campaign): CampaignView {
  return { id: c.id, siteId: c.site_id, name: c.name, settings: merge(defaultCampaignSettings, JSON.parse(c.settings) as CampaignSettingsChange), createdAt: c.created_at, updatedAt: c.updated_at };
}

function checkFields(settings: CampaignSettings): void {
  const names = settings.prechat.fields.map((f) => f.name);
  if (new Set(names).size !== names.length) throw new Conflict('Each pre-chat field name may be used once.', { reason: 'duplicate-field' });
}

export interface Campaigns {
  list(ctx: SiteContext): Promise<CampaignView[]>;
  get(ctx: SiteContext, campaignId: number): Promise<CampaignView>;
  create(ctx: SiteContext, input: { name: string; settings?: CampaignSettingsChange | undefined }): Promise<CampaignView>;
  update(ctx: SiteContext, campaignId: number, change: { name?: string | undefined; settings?: CampaignSettingsChange | undefined }): Promise<CampaignView>;
  remove(ctx: SiteContext, campaignId: number): Promise<void>;
  /** The campaign a widget shows (the site's first when none is named); undefined when the site has none or not that one. */
  forWidget(siteId: number, campaignId?: number): Promise<CampaignView | undefined>;
}

export function createCampaigns(db: Kysely<WidgetTables>): Campaigns {
  const taken = (name: string) => new Conflict(`A campaign named ${name} already exists in this site.`, { reason: 'duplicate-name' });

  return {
    async list(ctx) {
      return (await listCampaigns(db, ctx.siteId)).map(present);
    },

    async get(ctx, campaignId) {
      const c = await findCampaign(db, ctx.siteId, campaignId);
      if (!c) throw new NotFound('campaign', campaignId);
      return present(c);
    },

    async create(ctx, input) {
      requirePermission(ctx, 'manageCampaigns', 'add campaigns');
      if ((await countCampaigns(db, ctx.siteId)) >= MAX_CAMPAIGNS) throw new Conflict(`A site has at most ${MAX_CAMPAIGNS} campaigns.`, { reason: 'campaign-limit' });
      const settings = merge(defaultCampaignSettings, input.settings ?? {});
      checkFields(settings);
      try {
        return present(await insertCampaign(db, ctx.siteId, input.name.trim(), JSON.stringify(settings)));
      } catch (err) {
        if (isUniqueViolation(err)) throw taken(input.name.trim());
        throw err;
      }
    },

    async update(ctx, campaignId, change) {
      requirePermission(ctx, 'manageCampaigns', 'change campaigns');
      const before = await findCampaign(db, ctx.siteId, campaignId);
      if (!before) throw new NotFound('campaign', campaignId);
      const settings = change.settings === undefined ? undefined : merge(present(before).settings, change.settings);
      if (settings) checkFields(settings);
      try {
        const after = await updateCampaign(db, ctx.siteId, campaignId, { name: change.name?.trim(), settings: settings && JSON.stringify(settings) });
        if (!after) throw new NotFound('campaign', campaignId);
        return present(after);
      } catch (err) {
        if (isUniqueViolation(err)) throw taken(change.name?.trim() ?? '');
        throw err;
      }
    },

    async remove(ctx, campaignId) {
      requirePermission(ctx, 'manageCampaigns', 'delete campaigns');
      if (!(await deleteCampaign(db, ctx.siteId, campaignId))) throw new NotFound('campaign', campaignId);
    },

    async forWidget(siteId, campaignId) {
      const c = await findCampaign(db, siteId, campaignId);
      return c && present(c);
    },
  };
}
