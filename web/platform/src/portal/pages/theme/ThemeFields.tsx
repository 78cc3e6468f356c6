// The theme editor's fields: every token of the theme (src/modules/partners/theme.tokens.ts) in
// groups a partner recognises, each checked as it is typed with the server's own rules. A value that
// could break out of its declaration (`red;}body{…}`, `url(…)`, `expression(…)`) is flagged at once;
// one that is only malformed is flagged when the field is left, so typing `#d9` is not an error yet.
import { normaliseThemeValue, THEME_TOKENS, type ThemeKey } from '../../../../../shared/theme-tokens.ts';
import { Field } from '../../components/Field.tsx';
import type { Translate } from '../../i18n.ts';

export const TOKEN_KEYS = Object.keys(THEME_TOKENS) as ThemeKey[];

/** The editor's groups, in the order a partner meets them on its pages. */
export const GROUPS = [
  { id: 'brand', keys: ['primaryColor', 'primaryTextColor', 'linkColor'] },
  { id: 'header', keys: ['headerBackgroundColor', 'headerTextColor'] },
  { id: 'page', keys: ['backgroundColor', 'surfaceColor', 'borderColor'] },
  { id: 'text', keys: ['textColor', 'mutedTextColor'] },
  { id: 'messages', keys: ['visitorBubbleColor', 'agentBubbleColor'] },
  { id: 'type', keys: ['fontFamily', 'fontSize'] },
  { id: 'shape', keys: ['borderRadius', 'launcherSize'] },
] as const satisfies readonly { id: string; keys: readonly ThemeKey[] }[];

/** What an unset token looks like on the agent console and the control panel (web/console/src/styles/base.css). */
export const PARLEY_DEFAULTS: Record<ThemeKey, string> = {
  primaryColor: '#1a5dc8',
  primaryTextColor: '#ffffff',
  backgroundColor: '#f3f5f8',
  surfaceColor: '#ffffff',
  textColor: '#1b2431',
  mutedTextColor: '#556070',
  linkColor: '#1a5dc8',
  borderColor: '#d3d9e2',
  headerBackgroundColor: '#172031',
  headerTextColor: '#ffffff',
  visitorBubbleColor: '#eef1f5',
  agentBubbleColor: '#dfeafc',
  fontFamily: 'system-ui, sans-serif',
  fontSize: '14px',
  borderRadius: '8px',
  launcherSize: '56px',
};

/** The text of each field, as typed. */
export type Draft = Record<ThemeKey, string>;

/** A field's value as the theme would store it (null: empty, Parley's default), or why it is refused. */
export type Checked = { value: string | null; problem: null } | { value: null; problem: 'unsafe' | 'format' };

// Anything that could end the declaration, load or run something, or hide either: refused at once.
const UNSAFE = /[;{}<>\\]|\/\*|\*\/|url\s*\(|expression\s*\(|@import|javascript\s*:|!\s*important/i;

/** Checks a field's text with the server's rules (theme.tokens.ts). */
export function checkValue(key: ThemeKey, text: string): Checked {
  const trimmed = text.trim();
  if (trimmed === '') return { value: null, problem: null };
  if (UNSAFE.test(trimmed)) return { value: null, problem: 'unsafe' };
  const value = normaliseThemeValue(key, trimmed);
  return value === undefined ? { value: null, problem: 'format' } : { value, problem: null };
}

/** The fields of a stored theme's pairs (missing tokens empty). */
export function draftOf(pairs: readonly { cssKey: string; cssValue: string }[]): Draft {
  return Object.fromEntries(TOKEN_KEYS.map((k) => [k, pairs.find((p) => p.cssKey === k)?.cssValue ?? ''])) as Draft;
}

const clamp = (n: number) => Math.max(0, Math.min(255, Math.round(n)));

/** The red, green and blue (0–255) of a valid, normalised colour; undefined for `transparent`. */
export function rgbOf(color: string): [number, number, number] | undefined {
  const hex = /^#([0-9a-f]{3,8})$/.exec(color)?.[1];
  if (hex) {
    const full = hex.length <= 4 ? [...hex.slice(0, 3)].map((c) => c + c).join('') : hex.slice(0, 6);
    return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
  }
  const nums = /^(rgba?|hsla?)\(([^)]*)\)$/.exec(color);
  if (!nums) return undefined;
  const [a = 0, b = 0, c = 0] = nums[2]!.split(',').map((n) => Number.parseFloat(n));
  if (nums[1]!.startsWith('rgb')) return [clamp(a), clamp(b), clamp(c)];
  // hsl → rgb (CSS Color 4, "hslToRgb").
  const s = b / 100;
  const l = c / 100;
  const f = (n: number) => {
    const k = (n + a / 30) % 12;
    return clamp(255 * (l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** A colour as `#rrggbb` for the colour picker, or undefined when it has none (empty, invalid, transparent). */
export function hexOf(key: ThemeKey, text: string): string | undefined {
  const checked = checkValue(key, text);
  const rgb = checked.value === null ? undefined : rgbOf(checked.value);
  return rgb && `#${rgb.map((n) => n.toString(16).padStart(2, '0')).join('')}`;
}

/** A token's field: its name, what it changes and Parley's default, and (for colours) a picker beside the text. */
export function TokenField(o: { t: Translate; k: ThemeKey; text: string; problem: string | undefined; onChange: (key: ThemeKey, text: string) => void; onLeave: (key: ThemeKey) => void }) {
  const { t, k } = o;
  const id = `theme-${k}`;
  const name = t(`theme.token.${k}`);
  const hint = `${t(`theme.desc.${k}`)} ${t('theme.default', { value: PARLEY_DEFAULTS[k] })}`;
  const isColor = THEME_TOKENS[k].kind === 'color';
  return (
    <Field id={id} label={name} hint={hint} problem={o.problem} className="theme-field">
      {(attrs) => (
        <div className={isColor ? 'theme-input theme-input-color' : 'theme-input'}>
          {isColor && (
            <input
              type="color"
              className="theme-picker"
              value={hexOf(k, o.text) ?? PARLEY_DEFAULTS[k]}
              onChange={(e) => o.onChange(k, e.target.value)}
              aria-label={t('theme.pick', { name })}
              data-testid={`${id}-picker`}
            />
          )}
          <input
            type="text"
            {...attrs}
            value={o.text}
            onChange={(e) => o.onChange(k, e.target.value)}
            onBlur={() => o.onLeave(k)}
            placeholder={PARLEY_DEFAULTS[k]}
            maxLength={200}
            spellCheck={false}
            autoComplete="off"
            data-testid={id}
          />
        </div>
      )}
    </Field>
  );
}
