// The control panel's strings in the console's languages. The language itself (the browser's
// preference or the agent's choice, kept in localStorage) is the console's (its i18n.ts), so both
// apps speak the same one and share the language switch.
import { fill, getLang, type Lang, useLang } from '../../../console/src/i18n/i18n.ts';
import { en, type Key } from './en.ts';
import { ru } from './ru.ts';
import { zhCN } from './zh-CN.ts';
import { zhTW } from './zh-TW.ts';

export type { Key };
export type Translate = (key: Key, vars?: Record<string, string | number>) => string;

const dictionaries: Record<Lang, Record<Key, string>> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW, ru };

export const t: Translate = (key, vars) => fill(dictionaries[getLang()][key] ?? en[key], vars);

/** t() bound to the current language, re-rendering on a switch. */
export function useT(): Translate {
  useLang();
  return t;
}
