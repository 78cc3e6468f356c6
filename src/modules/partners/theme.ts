// A partner's theme becomes CSS custom properties that every page reads with var(--parley-…): the
// style sheet and its ETag. The tokens and the check of their values are in theme.tokens.ts (pure,
// shared with the partner portal's editor); docs/partner-theme.md is the partner-facing version.
import { createHash } from 'node:crypto';
import { THEME_TOKENS, type ThemeKey, type ThemePair, validateTheme } from './theme.tokens.ts';

export {
  isThemeKey,
  MAX_THEME_PAIRS,
  MAX_THEME_VALUE_LENGTH,
  normaliseThemeValue,
  THEME_TOKENS,
  type ThemeError,
  type ThemeKey,
  type ThemePair,
  type ThemeToken,
  type ThemeTokenKind,
  type ThemeValidation,
  validateTheme,
} from './theme.tokens.ts';

/**
 * The theme style sheet: `:root{--parley-…:…;}` sorted by key, so the same theme always gives the
 * same bytes (and ETag). The pairs are validated again here; an invalid one is a programming
 * error (a caller skipped validateTheme), so it throws rather than emitting unchecked CSS.
 */
export function renderThemeCss(pairs: readonly ThemePair[]): string {
  const checked = validateTheme(pairs);
  if (!checked.ok) {
    throw new TypeError(`renderThemeCss needs a validated theme: ${checked.errors.map((e) => `[${e.index}] ${e.reason}`).join('; ')}`);
  }
  const declarations = checked.value
    .map((p) => ({ cssVar: THEME_TOKENS[p.cssKey as ThemeKey].cssVar, key: p.cssKey, value: p.cssValue }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((d) => `${d.cssVar}:${d.value};`)
    .join('');
  return `/* Parley partner theme: CSS custom properties, see docs/partner-theme.md */\n:root{${declarations}}\n`;
}

/** A strong ETag for the style sheet: the quoted first 22 base64url characters (132 bits) of its SHA-256. */
export function themeEtag(css: string): string {
  return `"${createHash('sha256').update(css, 'utf8').digest('base64url').slice(0, 22)}"`;
}
