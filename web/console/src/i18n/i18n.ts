// The console's languages: one dictionary per language, chosen from the browser's preferences
// unless the agent picked one (kept in localStorage). `{name}` placeholders are filled by t().
import { useSyncExternalStore } from 'react';
import { en, type Key } from './en.ts';
import { ru } from './ru.ts';
import { zhCN } from './zh-CN.ts';
import { zhTW } from './zh-TW.ts';

export type Lang = 'en' | 'zh-CN' | 'zh-TW' | 'ru';
export type { Key };
export type Translate = (key: Key, vars?: Record<string, string | number>) => string;

export const LANGS: { code: Lang; label: string }[] = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
  { code: 'zh-TW', label: '繁體中文' },
  { code: 'ru', label: 'Русский' },
];

const dictionaries: Record<Lang, Record<Key, string>> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW, ru };
const STORAGE_KEY = 'parley.console.lang';

/** Maps a BCP 47 tag to one of ours; Hong Kong, Macau and "Hant" read Traditional Chinese. */
export function matchLang(tag: string): Lang | null {
  const t = tag.toLowerCase();
  if (t.startsWith('zh')) return /-(tw|hk|mo)\b|hant/.test(t) ? 'zh-TW' : 'zh-CN';
  if (t.startsWith('ru')) return 'ru';
  if (t.startsWith('en')) return 'en';
  return null;
}

function detect(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && saved in dictionaries) return saved as Lang;
  } catch {
    // Storage can be off (privacy settings): the browser's preference still works.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const lang = matchLang(tag);
    if (lang) return lang;
  }
  return 'en';
}

let lang: Lang = detect();
const listeners = new Set<() => void>();
document.documentElement.lang = lang;

export function getLang(): Lang {
  return lang;
}

export function setLang(next: Lang): void {
  if (next === lang) return;
  lang = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not saved; the choice still holds for this page.
  }
  for (const l of listeners) l();
}

/** Puts `vars` into a text's `{name}` placeholders (unknown ones stay as they are). */
export function fill(text: string, vars?: Record<string, string | number>): string {
  return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : text;
}

export const t: Translate = (key, vars) => fill(dictionaries[lang][key] ?? en[key], vars);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current language; components that call it re-render when it changes. */
export function useLang(): Lang {
  return useSyncExternalStore(subscribe, getLang);
}

/** t() bound to the current language, re-rendering on a switch. */
export function useT(): Translate {
  useLang();
  return t;
}
