// A site's widget settings (kept as JSON in site_settings.widget): the language it speaks, the
// pre-chat form, whether a chat starts with the robot or with people, and whether visitors may
// leave a message when nobody is available. A site that never set them has the defaults.
import { BadRequest } from '../../platform/errors.ts';
import type { SiteSettingsStore } from '../tenancy/index.ts';

export const widgetLanguages = ['auto', 'en', 'zh-CN', 'zh-TW', 'ru'] as const;
export type WidgetLanguage = (typeof widgetLanguages)[number];
export const prechatFieldNames = ['name', 'email', 'phone', 'question'] as const;

export interface PrechatField {
  name: (typeof prechatFieldNames)[number];
  required: boolean;
}

export interface WidgetSettings {
  /** `auto`: the visitor's browser languages decide. */
  language: WidgetLanguage;
  prechat: { enabled: boolean; message: string | null; fields: PrechatField[] };
  startWith: 'robot' | 'agent';
  offlineForm: boolean;
}

export const defaultWidgetSettings: WidgetSettings = {
  language: 'auto',
  prechat: {
    enabled: false,
    message: null,
    fields: [
      { name: 'name', required: true },
      { name: 'email', required: false },
      { name: 'question', required: false },
    ],
  },
  startWith: 'agent',
  offlineForm: true,
};

/** A site's widget settings, defaults filled in. */
export async function getWidgetSettings(store: SiteSettingsStore, siteId: number): Promise<WidgetSettings> {
  const row = await store.read(siteId);
  const stored = row ? (JSON.parse(row.widget) as Partial<WidgetSettings>) : {};
  return { ...defaultWidgetSettings, ...stored, prechat: { ...defaultWidgetSettings.prechat, ...stored.prechat } };
}

/** A change of some settings (and of some fields of the pre-chat form's settings). */
export type WidgetSettingsChange = Partial<Omit<WidgetSettings, 'prechat'>> & { prechat?: Partial<WidgetSettings['prechat']> | undefined };

/** Changes some of a site's widget settings; returns them all. */
export async function updateWidgetSettings(store: SiteSettingsStore, siteId: number, change: WidgetSettingsChange): Promise<WidgetSettings> {
  const names = change.prechat?.fields?.map((f) => f.name) ?? [];
  if (new Set(names).size !== names.length) throw new BadRequest('Each pre-chat field may be listed once.');
  const current = await getWidgetSettings(store, siteId);
  const next: WidgetSettings = { ...current, ...change, prechat: { ...current.prechat, ...change.prechat } };
  await store.write(siteId, { widget: JSON.stringify(next) });
  return next;
}
