// A campaign's settings as the form edits them: text where the API has null for "not set", numbers
// as typed, and a key on each pre-chat field and invitation rule so that rows keep their identity
// (and their focus) when others are added, moved or removed.
import type { CampaignField, CampaignSettings } from '../../api/types.ts';

export type FieldType = CampaignField['type'];
export const FIELD_TYPES: FieldType[] = ['text', 'email', 'tel', 'textarea'];
/** The API's limits (widget.campaigns.routes.ts). */
export const MAX_FIELDS = 10;
export const MAX_RULES = 20;
/** The colour the picker starts from when a campaign stops using the partner's. */
export const DEFAULT_COLOR = '#0b5fff';

export interface FieldDraft {
  key: number;
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
}

export interface RuleDraft {
  key: number;
  afterSeconds: string;
  urlContains: string;
  onVisit: string;
  message: string;
}

export interface Draft {
  look: { color: string | null; position: 'right' | 'left'; buttonText: string; title: string; avatarUrl: string };
  prechat: { enabled: boolean; message: string; fields: FieldDraft[] };
  offline: { enabled: boolean; message: string };
  survey: { enabled: boolean };
  invitations: RuleDraft[];
}

let nextKey = 1;
/** A key no row of this page has had. */
export const newKey = () => nextKey++;

export const newField = (): FieldDraft => ({ key: newKey(), name: '', label: '', type: 'text', required: false });
export const newRule = (): RuleDraft => ({ key: newKey(), afterSeconds: '10', urlContains: '', onVisit: '', message: '' });

export function draftOf(s: CampaignSettings): Draft {
  return {
    look: { color: s.look.color, position: s.look.position, buttonText: s.look.buttonText ?? '', title: s.look.title ?? '', avatarUrl: s.look.avatarUrl ?? '' },
    prechat: { enabled: s.prechat.enabled, message: s.prechat.message ?? '', fields: s.prechat.fields.map((f) => ({ ...f, key: newKey(), label: f.label ?? '' })) },
    offline: { enabled: s.offline.enabled, message: s.offline.message ?? '' },
    survey: { enabled: s.survey.enabled },
    invitations: s.invitations.map((r) => ({
      key: newKey(),
      afterSeconds: String(r.afterSeconds),
      urlContains: r.urlContains ?? '',
      onVisit: r.onVisit === null ? '' : String(r.onVisit),
      message: r.message,
    })),
  };
}

/** Empty text is "not set" (null). */
const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/** The settings to send; what the server refuses comes back as field errors at these paths. */
export function settingsOf(d: Draft): CampaignSettings {
  return {
    look: { color: d.look.color, position: d.look.position, buttonText: orNull(d.look.buttonText), title: orNull(d.look.title), avatarUrl: orNull(d.look.avatarUrl) },
    prechat: {
      enabled: d.prechat.enabled,
      message: orNull(d.prechat.message),
      fields: d.prechat.fields.map((f) => ({ name: f.name.trim(), label: orNull(f.label), type: f.type, required: f.required })),
    },
    offline: { enabled: d.offline.enabled, message: orNull(d.offline.message) },
    survey: { enabled: d.survey.enabled },
    invitations: d.invitations.map((r) => ({
      afterSeconds: Number(r.afterSeconds),
      urlContains: orNull(r.urlContains),
      onVisit: r.onVisit.trim() === '' ? null : Number(r.onVisit),
      message: r.message.trim(),
    })),
  };
}

/** The list with the item at `index` moved by `by` places (within the list). */
export function moved<T>(list: T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= list.length) return list;
  const next = [...list];
  [next[index], next[to]] = [next[to]!, next[index]!];
  return next;
}

/** The tag a customer puts on its pages to show this campaign. */
export const widgetTag = (origin: string, siteId: number, campaignId: number) =>
  `<script src="${origin}/widget.js" data-site-id="${siteId}" data-campaign-id="${campaignId}" async></script>`;

/** The server's word on a field, or ours where its schema's own words would mean little (a pattern the value does not match). */
export function inWords(problem: string | undefined, ours: string): string | undefined {
  return problem?.startsWith('must match pattern') ? ours : problem;
}

/** What each section of the editor is given. */
export interface SectionProps {
  draft: Draft;
  change: (update: (d: Draft) => Draft) => void;
  /** The server's word on a field of the last save (`settings.look.color`), if any. */
  problem: (path: string) => string | undefined;
}
