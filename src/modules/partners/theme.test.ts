import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MAX_THEME_PAIRS, renderThemeCss, THEME_TOKENS, type ThemePair, themeEtag, validateTheme } from './theme.ts';

/** The normalised value of one pair, or the reason it was refused. */
function check(cssKey: string, cssValue: string): { value: string } | { refused: string } {
  const r = validateTheme([{ cssKey, cssValue }]);
  return r.ok ? { value: r.value[0]!.cssValue } : { refused: r.errors[0]!.reason };
}

function accepts(cssKey: string, cases: Record<string, string>) {
  for (const [input, expected] of Object.entries(cases)) {
    assert.deepEqual(check(cssKey, input), { value: expected }, `${cssKey}: ${JSON.stringify(input)}`);
  }
}

function refuses(cssKey: string, inputs: string[]) {
  for (const input of inputs) {
    const r = check(cssKey, input);
    assert.ok('refused' in r, `${cssKey} should refuse ${JSON.stringify(input)}`);
    assert.match(r.refused, new RegExp(`^${cssKey} must be .*docs/partner-theme\\.md$`));
    assert.ok(!r.refused.includes(input) || input === '', 'the refused value is not echoed back');
  }
}

// Values an attacker would try in a partner theme: break out of the declaration or the <style>,
// load remote content, run script, or hide syntax in escapes and comments.
const ATTACKS = [
  'red;}body{display:none}',
  '#fff;}body{background:url(https://evil.example/x)}',
  'url(https://evil.example/track.png)',
  'url("javascript:alert(1)")',
  'expression(alert(1))',
  'javascript:alert(1)',
  '</style><script>alert(1)</script>',
  '#fff</style>',
  '\\23 fff',
  '#f\\66 f',
  '/**/#fff',
  '#fff/* */',
  '#fff !important',
  'var(--parley-secret)',
  'attr(data-token)',
  'calc(1px + 1px)',
  '@import "https://evil.example/x.css"',
  '#fff\u0000',
  '#fff\n}',
];

test('the token set is closed, documented and maps each key to --parley-<kebab-case>', () => {
  const keys = Object.keys(THEME_TOKENS);
  assert.ok(keys.length >= 12 && keys.length <= 16, `${keys.length} tokens`);
  for (const [key, token] of Object.entries(THEME_TOKENS)) {
    assert.equal(token.cssVar, `--parley-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    assert.ok(['color', 'length', 'font-family'].includes(token.kind));
    assert.ok(token.description.length > 0);
  }
  assert.ok(Object.isFrozen(THEME_TOKENS));
});

test('docs/partner-theme.md lists every token with its kind and CSS variable', () => {
  const docs = readFileSync(new URL('../../../docs/partner-theme.md', import.meta.url), 'utf8');
  for (const [key, token] of Object.entries(THEME_TOKENS)) {
    assert.ok(docs.includes(`| \`${key}\` | ${token.kind} | \`${token.cssVar}\` |`), `row of ${key}`);
  }
});

test('colours: hex, rgb(a), hsl(a) and transparent are accepted and normalised', () => {
  accepts('backgroundColor', {
    '#1C86EE': '#1c86ee',
    '  #1c86ee\t': '#1c86ee',
    '#FFF': '#fff',
    '#fff8': '#fff8',
    '#1C86EE80': '#1c86ee80',
    'rgb(28, 134, 238)': 'rgb(28, 134, 238)',
    'RGB(28,134,238)': 'rgb(28, 134, 238)',
    'rgb(0, 00, 255)': 'rgb(0, 0, 255)',
    'rgba(0,0,0,.5)': 'rgba(0, 0, 0, 0.5)',
    'rgba(255, 255, 255, 1.0)': 'rgba(255, 255, 255, 1)',
    'rgba(1, 2, 3, 0)': 'rgba(1, 2, 3, 0)',
    'hsl(210, 86%, 52%)': 'hsl(210, 86%, 52%)',
    'hsl(360,0%,100%)': 'hsl(360, 0%, 100%)',
    'hsla(210, 86.5%, 52%, 0.25)': 'hsla(210, 86.5%, 52%, 0.25)',
    transparent: 'transparent',
    Transparent: 'transparent',
  });
});

test('colours: names, out-of-range numbers, malformed values and injections are refused', () => {
  refuses('primaryColor', [
    ...ATTACKS,
    '',
    '   ',
    'red',
    'currentColor',
    'inherit',
    '#12345',
    '#1234567',
    '#ggg',
    '1c86ee',
    '# fff',
    'rgb(256, 0, 0)',
    'rgb(-1, 0, 0)',
    'rgb(1, 2)',
    'rgb(1, 2, 3, 0.5)',
    'rgb(1 2 3)',
    'rgb(10%, 0, 0)',
    'rgba(0, 0, 0, 1.5)',
    'rgba(0, 0, 0, 2)',
    'rgba(0, 0, 0)',
    'hsl(361, 50%, 50%)',
    'hsl(10, 101%, 50%)',
    'hsl(10, 50, 50)',
    'hsl(10deg, 50%, 50%)',
    'hsla(10, 50%, 50%, 1.1)',
    'rgb(０, 0, 0)',
    `#${'f'.repeat(300)}`,
  ]);
});

test('lengths: 0 or a bounded number with px, rem, em or %', () => {
  accepts('fontSize', {
    '0': '0',
    '14px': '14px',
    '1.5rem': '1.5rem',
    '.875em': '0.875em',
    '0.50rem': '0.5rem',
    '100%': '100%',
    '9999px': '9999px',
    '12PX': '12px',
    ' 8px ': '8px',
  });
  refuses('borderRadius', [
    ...ATTACKS,
    '',
    '-4px',
    '10000px',
    '1e3px',
    '12',
    '12 px',
    '12vh',
    '12pt',
    '1.2.3px',
    '1.12345px',
    'calc(100% - 1px)',
    '4px;background:url(x)',
    '4px 8px',
    'auto',
    'NaNpx',
    'Infinitypx',
  ]);
});

test('font families: up to 5 names or generic families, re-quoted on output', () => {
  accepts('fontFamily', {
    'Inter, system-ui, sans-serif': '"Inter", system-ui, sans-serif',
    '"Open Sans", Arial, sans-serif': '"Open Sans", "Arial", sans-serif',
    "'Noto Sans SC',SANS-SERIF": '"Noto Sans SC", sans-serif',
    'Source  Han Sans': '"Source Han Sans"',
    '"serif"': '"serif"',
    '微软雅黑, PingFang SC, sans-serif': '"微软雅黑", "PingFang SC", sans-serif',
    'a, b, c, d, monospace': '"a", "b", "c", "d", monospace',
  });
  refuses('fontFamily', [
    ...ATTACKS,
    '',
    'Arial; } body { display: none',
    '"Arial\\", serif',
    '"Arial',
    "Arial'",
    '"Arial\'',
    '"Ari"al"',
    'Arial,,serif',
    'Arial,',
    'a, b, c, d, e, serif',
    'Comic Sans MS</style>',
    'Arial /* x */',
    'Arial\tBlack',
    'Arial\u202eBlack',
    'Font_Name',
    '-x',
    `${'A'.repeat(201)}`,
    `${'Abcdefghi, '.repeat(4)}${'B'.repeat(160)}`,
  ]);
});

test('unknown keys are refused with a pointer to the docs; inherited property names are not keys', () => {
  const r = validateTheme([
    { cssKey: 'position', cssValue: 'fixed' },
    { cssKey: '__proto__', cssValue: '#fff' },
    { cssKey: 'constructor', cssValue: '#fff' },
    { cssKey: 'toString', cssValue: '#fff' },
    { cssKey: 'background-color', cssValue: '#fff' },
    { cssKey: '</style><script>', cssValue: '#fff' },
  ]);
  assert.equal(r.ok, false);
  assert.ok(!r.ok);
  assert.deepEqual(r.errors[0], { index: 0, cssKey: 'position', reason: 'unknown theme token position; see docs/partner-theme.md' });
  assert.deepEqual(r.errors.map((e) => e.index), [0, 1, 2, 3, 4, 5]);
  assert.equal(r.errors[5]!.reason, 'unknown theme token; see docs/partner-theme.md', 'a key that does not look like a key is not echoed');
});

test('a key may appear only once', () => {
  const r = validateTheme([
    { cssKey: 'primaryColor', cssValue: '#111' },
    { cssKey: 'textColor', cssValue: '#222' },
    { cssKey: 'primaryColor', cssValue: '#111' },
  ]);
  assert.deepEqual(r, { ok: false, errors: [{ index: 2, cssKey: 'primaryColor', reason: 'duplicate theme token primaryColor (first at index 0)' }] });
});

test('shape and size limits: an array of at most 50 string pairs', () => {
  for (const input of [undefined, null, 'primaryColor', { primaryColor: '#fff' }]) {
    assert.deepEqual(validateTheme(input), { ok: false, errors: [{ index: -1, reason: 'a theme is an array of {cssKey, cssValue} pairs' }] });
  }
  const many = Array.from({ length: MAX_THEME_PAIRS + 1 }, () => ({ cssKey: 'primaryColor', cssValue: '#fff' }));
  assert.deepEqual(validateTheme(many), { ok: false, errors: [{ index: -1, reason: 'a theme has at most 50 pairs' }] });
  const r = validateTheme([null, 'x', { cssKey: 'textColor' }, { cssKey: 'textColor', cssValue: 7 }, { cssKey: 'linkColor', cssValue: '#00f' }]);
  assert.ok(!r.ok);
  assert.deepEqual(r.errors.map((e) => e.index), [0, 1, 2, 3]);
  assert.match(r.errors[0]!.reason, /string cssKey and a string cssValue/);
  assert.deepEqual(validateTheme([]), { ok: true, value: [] });
});

test('a valid theme comes back normalised, in input order, without extra row fields', () => {
  const rows = [
    { id: 9, partnerId: 3, cssKey: 'textColor', cssValue: ' #1C1C1C ' },
    { id: 10, partnerId: 3, cssKey: 'fontFamily', cssValue: "'Open Sans', sans-serif" },
  ];
  assert.deepEqual(validateTheme(rows), {
    ok: true,
    value: [
      { cssKey: 'textColor', cssValue: '#1c1c1c' },
      { cssKey: 'fontFamily', cssValue: '"Open Sans", sans-serif' },
    ],
  });
});

test('renderThemeCss writes sorted custom properties under :root, the same bytes for the same theme', () => {
  const theme: ThemePair[] = [
    { cssKey: 'primaryColor', cssValue: '#1C86EE' },
    { cssKey: 'borderRadius', cssValue: '8px' },
    { cssKey: 'fontFamily', cssValue: 'Inter, sans-serif' },
  ];
  const css = renderThemeCss(theme);
  assert.equal(
    css,
    '/* Parley partner theme: CSS custom properties, see docs/partner-theme.md */\n' +
      ':root{--parley-border-radius:8px;--parley-font-family:"Inter", sans-serif;--parley-primary-color:#1c86ee;}\n',
  );
  assert.equal(renderThemeCss([...theme].reverse()), css);
  assert.equal(renderThemeCss(validateTheme(theme).ok ? theme : []), css);
  assert.equal(renderThemeCss([]), '/* Parley partner theme: CSS custom properties, see docs/partner-theme.md */\n:root{}\n');
});

test('renderThemeCss never emits a pair that fails validation', () => {
  assert.throws(() => renderThemeCss([{ cssKey: 'primaryColor', cssValue: 'red;}body{display:none}' }]), TypeError);
  assert.throws(() => renderThemeCss([{ cssKey: 'position', cssValue: 'fixed' }]), TypeError);
  assert.throws(
    () => renderThemeCss([
      { cssKey: 'textColor', cssValue: '#000' },
      { cssKey: 'textColor', cssValue: '#fff' },
    ]),
    TypeError,
  );
});

test('themeEtag is a strong, quoted base64url digest that follows the content', () => {
  const css = renderThemeCss([{ cssKey: 'primaryColor', cssValue: '#1c86ee' }]);
  const etag = themeEtag(css);
  assert.match(etag, /^"[A-Za-z0-9_-]{22}"$/);
  assert.equal(themeEtag(css), etag);
  assert.notEqual(themeEtag(renderThemeCss([{ cssKey: 'primaryColor', cssValue: '#1c86ef' }])), etag);
  assert.notEqual(themeEtag(''), etag);
});
