// The theme's live preview: the agent console, the visitor's chat widget and the console embedded
// in a partner's own page, drawn by styles that read the theme's --parley-* custom properties
// (styles/brand.css). The editor's values are set as those properties on the preview alone, so it
// follows every keystroke before anything is saved; a token left empty is set to `initial`, which
// makes var() fall back to Parley's default rather than to the theme the portal itself wears.
import type { CSSProperties } from 'react';
import { THEME_TOKENS, type ThemeKey } from '../../../../../shared/theme-tokens.ts';
import { type Translate, useT } from '../../i18n.ts';
import { PARLEY_DEFAULTS, rgbOf, TOKEN_KEYS } from './ThemeFields.tsx';

/** Each token's value for the preview: a valid, normalised value, or null for Parley's default. */
export type PreviewValues = Record<ThemeKey, string | null>;

interface Brand {
  name: string;
  logoUrl: string | null;
}

/** The relative luminance of a colour (WCAG 2.2). */
function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

// Text and the background it is drawn on, in the console and the widget.
const PAIRS = [
  ['primaryTextColor', 'primaryColor'],
  ['headerTextColor', 'headerBackgroundColor'],
  ['textColor', 'backgroundColor'],
  ['textColor', 'surfaceColor'],
  ['mutedTextColor', 'surfaceColor'],
  ['linkColor', 'surfaceColor'],
  ['textColor', 'visitorBubbleColor'],
  ['textColor', 'agentBubbleColor'],
] as const satisfies readonly (readonly [ThemeKey, ThemeKey])[];

/** The pairs of colours whose text is hard to read (below WCAG's 4.5:1), with their ratio. */
function lowContrast(values: PreviewValues): { text: ThemeKey; background: ThemeKey; ratio: number }[] {
  return PAIRS.flatMap(([text, background]) => {
    const fg = rgbOf(values[text] ?? PARLEY_DEFAULTS[text]);
    const bg = rgbOf(values[background] ?? PARLEY_DEFAULTS[background]);
    if (!fg || !bg) return [];
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a) as [number, number];
    const ratio = (hi + 0.05) / (lo + 0.05);
    return ratio < 4.5 ? [{ text, background, ratio: Math.floor(ratio * 100) / 100 }] : [];
  });
}

/** The agent console's chat list and conversation (also what a partner embeds, without the header). */
function ConsoleBody({ t, testIds }: { t: Translate; testIds: boolean }) {
  return (
    <div className="pv-body">
      <ul className="pv-list">
        <li className="pv-chat pv-chat-active">
          <strong>Anna</strong>
          <span className="pv-muted">{t('theme.sample.visitor')}</span>
        </li>
        <li className="pv-chat">
          <strong>Ben</strong>
          <span className="pv-muted">{t('theme.sample.thanks')}</span>
        </li>
        <li className="pv-chat">
          <strong>Chen</strong>
          <span className="pv-muted">{t('theme.sample.waiting')}</span>
        </li>
      </ul>
      <div className="pv-conversation">
        <span className="pv-muted pv-time">10:42</span>
        <div className="pv-bubble pv-visitor" data-testid={testIds ? 'preview-visitor-bubble' : undefined}>
          {t('theme.sample.visitor')}
        </div>
        <div className="pv-bubble pv-agent" data-testid={testIds ? 'preview-agent-bubble' : undefined}>
          {t('theme.sample.agent')} <span className="pv-link">{t('theme.sample.track')}</span>
        </div>
        <div className="pv-composer">
          <span className="pv-input pv-muted">{t('theme.sample.type')}</span>
          <span className="pv-button" data-testid={testIds ? 'preview-console-button' : undefined}>
            {t('theme.sample.send')}
          </span>
        </div>
      </div>
    </div>
  );
}

const ChatIcon = () => (
  <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    <path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" />
  </svg>
);

export function ThemePreview({ values, brand, unsaved }: { values: PreviewValues; brand: Brand; unsaved: boolean }) {
  const t = useT();
  const style = Object.fromEntries(TOKEN_KEYS.map((k) => [THEME_TOKENS[k].cssVar, values[k] ?? 'initial'])) as CSSProperties;
  const hard = lowContrast(values);
  return (
    // Focusable: beside the editor it scrolls on its own, and the keyboard must be able to scroll it.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region is reached by keyboard this way
    <section className="theme-preview" aria-labelledby="theme-preview-title" tabIndex={0} style={style} data-testid="theme-preview">
      <h2 id="theme-preview-title">{t('theme.preview')}</h2>
      <p className="hint" data-testid="theme-preview-state">
        {unsaved ? t('theme.previewUnsaved') : t('theme.previewSaved')}
      </p>
      {hard.length > 0 && (
        <div className="notice-box theme-contrast" data-testid="theme-contrast">
          <p>{t('theme.contrast')}</p>
          <ul>
            {hard.map((h) => (
              <li key={`${h.text}-${h.background}`}>{t('theme.contrastPair', { text: t(`theme.token.${h.text}`), background: t(`theme.token.${h.background}`), ratio: h.ratio })}</li>
            ))}
          </ul>
        </div>
      )}

      <figure className="pv-figure">
        <figcaption>
          <h3>{t('theme.preview.console')}</h3>
        </figcaption>
        <div className="pv pv-console" inert aria-hidden="true" data-testid="preview-console">
          <div className="pv-header" data-testid="preview-console-header">
            {brand.logoUrl ? <img className="pv-logo" src={brand.logoUrl} alt="" /> : <strong>{brand.name}</strong>}
            <span className="pv-status">{t('theme.sample.online')}</span>
          </div>
          <ConsoleBody t={t} testIds />
        </div>
      </figure>

      <figure className="pv-figure">
        <figcaption>
          <h3>{t('theme.preview.widget')}</h3>
        </figcaption>
        <div className="pv pv-site" inert aria-hidden="true" data-testid="preview-widget">
          <div className="pv-window">
            <div className="pv-wheader">
              <strong>{brand.name}</strong>
              <span>{t('theme.sample.replies')}</span>
            </div>
            <div className="pv-wbody">
              <div className="pv-wbubble pv-wagent">{t('theme.sample.hello')}</div>
              <div className="pv-wbubble pv-wvisitor">{t('theme.sample.visitor')}</div>
            </div>
            <div className="pv-wcomposer">
              <span className="pv-winput">{t('theme.sample.type')}</span>
              <span className="pv-wsend">{t('theme.sample.send')}</span>
            </div>
          </div>
          <span className="pv-launcher" data-testid="preview-launcher">
            <ChatIcon />
          </span>
        </div>
      </figure>

      <figure className="pv-figure">
        <figcaption>
          <h3>{t('theme.preview.embed')}</h3>
          <p className="hint">{t('theme.preview.embedHint')}</p>
        </figcaption>
        <div className="pv pv-embed" inert aria-hidden="true" data-testid="preview-embed">
          <div className="pv-browser">
            <span className="pv-address">https://app.example.com/support</span>
          </div>
          <div className="pv-host">
            <div className="pv-host-nav">{t('theme.sample.yourApp')}</div>
            <div className="pv-frame pv">
              <ConsoleBody t={t} testIds={false} />
            </div>
          </div>
        </div>
      </figure>
    </section>
  );
}
