// The partner theme's tokens (spec: t_Partner_Theme, rows of {cssKey, cssValue}) and the formats
// their values must have. Partner input ends up inside a style sheet served to visitors and agents,
// so keys come from a closed list and values must match a whitelist of formats for their kind;
// anything else is refused, never "cleaned". Accepted values are re-serialised from what was
// parsed, so the CSS never contains a character the partner chose outside names, digits and units.
// Pure (no Node imports): the partner portal's theme editor checks values with these same rules
// before it sends them. theme.ts renders the style sheet; docs/partner-theme.md is the
// partner-facing version of both.

export type ThemeTokenKind = 'color' | 'length' | 'font-family';

export interface ThemeToken {
  readonly kind: ThemeTokenKind;
  /** The custom property it becomes: `--parley-` and the kebab-case of the key. */
  readonly cssVar: string;
  readonly description: string;
}

/** The closed set of theme tokens a partner may set; docs/partner-theme.md lists the same table. */
export const THEME_TOKENS = Object.freeze({
  primaryColor: { kind: 'color', cssVar: '--parley-primary-color', description: 'Brand colour of buttons, the launcher and highlights' },
  primaryTextColor: { kind: 'color', cssVar: '--parley-primary-text-color', description: 'Text and icons drawn on the primary colour' },
  backgroundColor: { kind: 'color', cssVar: '--parley-background-color', description: 'Page and chat window background' },
  surfaceColor: { kind: 'color', cssVar: '--parley-surface-color', description: 'Cards, panels, menus and input fields' },
  textColor: { kind: 'color', cssVar: '--parley-text-color', description: 'Body text' },
  mutedTextColor: { kind: 'color', cssVar: '--parley-muted-text-color', description: 'Secondary text: timestamps, hints, placeholders' },
  linkColor: { kind: 'color', cssVar: '--parley-link-color', description: 'Links' },
  borderColor: { kind: 'color', cssVar: '--parley-border-color', description: 'Borders and dividers' },
  headerBackgroundColor: { kind: 'color', cssVar: '--parley-header-background-color', description: 'Header bar of the chat window and consoles' },
  headerTextColor: { kind: 'color', cssVar: '--parley-header-text-color', description: 'Text and icons in the header bar' },
  visitorBubbleColor: { kind: 'color', cssVar: '--parley-visitor-bubble-color', description: "Background of the visitor's message bubbles" },
  agentBubbleColor: { kind: 'color', cssVar: '--parley-agent-bubble-color', description: "Background of agents' and the robot's message bubbles" },
  fontFamily: { kind: 'font-family', cssVar: '--parley-font-family', description: 'Font stack of all text' },
  fontSize: { kind: 'length', cssVar: '--parley-font-size', description: 'Base font size' },
  borderRadius: { kind: 'length', cssVar: '--parley-border-radius', description: 'Corner radius of windows, bubbles and buttons' },
  launcherSize: { kind: 'length', cssVar: '--parley-launcher-size', description: 'Width and height of the chat launcher button' },
} as const satisfies Record<string, ThemeToken>);

export type ThemeKey = keyof typeof THEME_TOKENS;

/** One row of t_Partner_Theme. */
export interface ThemePair {
  cssKey: string;
  cssValue: string;
}

/** `index` is the pair's position in the input, or -1 for a problem with the theme as a whole. */
export interface ThemeError {
  index: number;
  cssKey?: string;
  reason: string;
}

export type ThemeValidation = { ok: true; value: ThemePair[] } | { ok: false; errors: ThemeError[] };

export const MAX_THEME_PAIRS = 50;
export const MAX_THEME_VALUE_LENGTH = 200;
const MAX_FONT_FAMILIES = 5;
const DOCS = 'see docs/partner-theme.md';

const GENERIC_FAMILIES = new Set([
  'serif', 'sans-serif', 'monospace', 'cursive', 'fantasy', 'system-ui', 'ui-serif', 'ui-sans-serif',
  'ui-monospace', 'ui-rounded', 'emoji', 'math', 'fangsong',
]);

const HEX = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const INT = '([0-9]{1,3})';
const DEC = '([0-9]{1,3}(?:\\.[0-9]{1,4})?|\\.[0-9]{1,4})';
const RGB = colorFunction('rgb', [INT, INT, INT]);
const RGBA = colorFunction('rgba', [INT, INT, INT, DEC]);
const HSL = colorFunction('hsl', [DEC, `${DEC}%`, `${DEC}%`]);
const HSLA = colorFunction('hsla', [DEC, `${DEC}%`, `${DEC}%`, DEC]);
const LENGTH = /^([0-9]{1,4}(?:\.[0-9]{1,4})?|\.[0-9]{1,4})(px|rem|em|%)$/i;
// Unicode letters so partners can name CJK fonts; no quotes, backslashes or punctuation, and
// every non-generic name is re-quoted on output.
const FAMILY_NAME = /^[\p{L}0-9][\p{L}0-9 -]*$/u;
const QUOTED = /^(["'])(.*)\1$/su;

function colorFunction(name: string, args: string[]): RegExp {
  return new RegExp(`^${name}\\( *${args.join(' *, *')} *\\)$`, 'i');
}

/** The number as CSS writes it: no leading zeros, no trailing decimal zeros. */
function num(text: string): string {
  return String(Number(text));
}

function normaliseColor(value: string): string | undefined {
  if (HEX.test(value)) return value.toLowerCase();
  if (value.toLowerCase() === 'transparent') return 'transparent';
  const rgb = RGB.exec(value) ?? RGBA.exec(value);
  if (rgb) {
    const [, r = '', g = '', b = '', a] = rgb;
    if ([r, g, b].some((c) => Number(c) > 255) || (a !== undefined && Number(a) > 1)) return undefined;
    return a === undefined ? `rgb(${num(r)}, ${num(g)}, ${num(b)})` : `rgba(${num(r)}, ${num(g)}, ${num(b)}, ${num(a)})`;
  }
  const hsl = HSL.exec(value) ?? HSLA.exec(value);
  if (hsl) {
    const [, h = '', s = '', l = '', a] = hsl;
    if (Number(h) > 360 || Number(s) > 100 || Number(l) > 100 || (a !== undefined && Number(a) > 1)) return undefined;
    return a === undefined ? `hsl(${num(h)}, ${num(s)}%, ${num(l)}%)` : `hsla(${num(h)}, ${num(s)}%, ${num(l)}%, ${num(a)})`;
  }
  return undefined;
}

function normaliseLength(value: string): string | undefined {
  if (value === '0') return '0';
  const m = LENGTH.exec(value);
  return m ? `${num(m[1]!)}${m[2]!.toLowerCase()}` : undefined;
}

function normaliseFontFamily(value: string): string | undefined {
  const parts = value.split(',');
  if (parts.length > MAX_FONT_FAMILIES) return undefined;
  const families: string[] = [];
  for (const part of parts) {
    const quoted = QUOTED.exec(part.trim());
    const name = (quoted ? quoted[2]! : part).trim().replace(/ {2,}/g, ' ');
    if (!FAMILY_NAME.test(name)) return undefined;
    const generic = name.toLowerCase();
    families.push(!quoted && GENERIC_FAMILIES.has(generic) ? generic : `"${name}"`);
  }
  return families.join(', ');
}

const NORMALISERS: Record<ThemeTokenKind, (value: string) => string | undefined> = {
  color: normaliseColor,
  length: normaliseLength,
  'font-family': normaliseFontFamily,
};

const FORMATS: Record<ThemeTokenKind, string> = {
  color: 'a colour: #rgb, #rgba, #rrggbb, #rrggbbaa, rgb(r, g, b), rgba(r, g, b, a), hsl(h, s%, l%), hsla(h, s%, l%, a) or transparent',
  length: 'a length: 0, or a number of at most 4 digits (and an optional decimal part) with px, rem, em or %',
  'font-family': `up to ${MAX_FONT_FAMILIES} comma-separated font families: names of letters, digits, spaces and hyphens, optionally quoted, or generic families such as sans-serif`,
};

/** Whether `key` is one of THEME_TOKENS. */
export function isThemeKey(key: string): key is ThemeKey {
  return Object.hasOwn(THEME_TOKENS, key);
}

/**
 * The value as the theme stores and serves it (trimmed, lower-case hex and units, re-serialised
 * colour functions, re-quoted font names), or undefined when it is not one of the key's formats.
 */
export function normaliseThemeValue(key: ThemeKey, value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed.length <= MAX_THEME_VALUE_LENGTH ? NORMALISERS[THEME_TOKENS[key].kind](trimmed) : undefined;
}

/**
 * Checks a partner's theme (untrusted JSON or stored rows) and returns it normalised: trimmed
 * values, lower-case hex and units, re-serialised colour functions, re-quoted font names.
 */
export function validateTheme(pairs: unknown): ThemeValidation {
  if (!Array.isArray(pairs)) return { ok: false, errors: [{ index: -1, reason: 'a theme is an array of {cssKey, cssValue} pairs' }] };
  if (pairs.length > MAX_THEME_PAIRS) {
    return { ok: false, errors: [{ index: -1, reason: `a theme has at most ${MAX_THEME_PAIRS} pairs` }] };
  }
  const errors: ThemeError[] = [];
  const value: ThemePair[] = [];
  const seen = new Map<string, number>();
  pairs.forEach((pair: unknown, index) => {
    const { cssKey, cssValue } = (typeof pair === 'object' && pair !== null ? pair : {}) as Record<string, unknown>;
    if (typeof cssKey !== 'string' || typeof cssValue !== 'string') {
      errors.push({ index, reason: 'each pair needs a string cssKey and a string cssValue' });
      return;
    }
    if (!isThemeKey(cssKey)) {
      // Echo the key only when it looks like a key, so the error stays short and plain.
      const shown = /^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(cssKey) ? ` ${cssKey}` : '';
      errors.push({ index, cssKey: cssKey.slice(0, 64), reason: `unknown theme token${shown}; ${DOCS}` });
      return;
    }
    const first = seen.get(cssKey);
    if (first !== undefined) {
      errors.push({ index, cssKey, reason: `duplicate theme token ${cssKey} (first at index ${first})` });
      return;
    }
    seen.set(cssKey, index);
    const normalised = normaliseThemeValue(cssKey, cssValue);
    if (normalised === undefined) {
      errors.push({ index, cssKey, reason: `${cssKey} must be ${FORMATS[THEME_TOKENS[cssKey].kind]}, at most ${MAX_THEME_VALUE_LENGTH} characters; ${DOCS}` });
      return;
    }
    value.push({ cssKey, cssValue: normalised });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}
