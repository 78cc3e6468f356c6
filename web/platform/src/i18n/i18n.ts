// The platform app's strings in the console's languages; the language (the browser's preference or
// the one picked, kept in localStorage) and its switch are the console's (its i18n.ts).
import { fill, getLang, type Lang, useLang } from '../../../console/src/i18n/i18n.ts';
import { en, type Key } from './en.ts';
import { ru } from './ru.ts';
import { zhCN } from './zh-CN.ts';
import { zhTW } from './zh-TW.ts';

export type { Key };
export type Translate = (key: Key, vars?: Record<string, string | number>) => string;

const byLang: Record<Lang, Record<Key, string>> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW, ru };

/** A text in the current language, outside components. */
export const t: Translate = (key, vars) => fill(byLang[getLang()][key] ?? en[key], vars);

/** t(), re-rendering the component on a language switch. */
export function useT(): Translate {
  useLang();
  return t;
}
