// The partner portal's strings in the console's languages. Each part of the portal keeps its texts
// in one file (texts/*.ts) with all four languages side by side; defineTexts checks that every
// language has exactly the English keys (texts/define.ts). The language and its switch are the console's.
import { fill, getLang, type Lang, useLang } from '../../../console/src/i18n/i18n.ts';
import { accessTexts } from './texts/access.ts';
import { brandTexts } from './texts/brand.ts';
import { connectTexts } from './texts/connect.ts';
import { coreTexts } from './texts/core.ts';
import { reportsTexts } from './texts/reports.ts';
import { sitesTexts } from './texts/sites.ts';

const PARTS = [coreTexts, sitesTexts, brandTexts, connectTexts, accessTexts, reportsTexts] as const;
type Part = (typeof PARTS)[number];
export type Key = Part extends infer P ? (P extends Record<'en', infer E> ? keyof E & string : never) : never;
export type Translate = (key: Key, vars?: Record<string, string | number>) => string;

const byLang = Object.fromEntries((['en', 'zh-CN', 'zh-TW', 'ru'] as const).map((lang) => [lang, Object.assign({}, ...PARTS.map((p) => p[lang])) as Record<Key, string>])) as Record<Lang, Record<Key, string>>;

/** A text in the current language, outside components. */
export const t: Translate = (key, vars) => fill(byLang[getLang()][key] ?? byLang.en[key], vars);

/** t(), re-rendering the component on a language switch. */
export function useT(): Translate {
  useLang();
  return t;
}
