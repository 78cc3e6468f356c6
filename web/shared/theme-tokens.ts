// The partner theme's tokens and value checks, as the server has them (src/modules/partners/
// theme.tokens.ts, a file with no Node imports, kept so that the browser can use it): the portal's
// theme editor refuses exactly what the server refuses. Web code imports them from here.
export { normaliseThemeValue, THEME_TOKENS, type ThemeKey } from '../../src/modules/partners/theme.tokens.ts';
