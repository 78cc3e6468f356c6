// Chart.js with only what the report pages draw (bars and lines on a category and a linear axis,
// the legend and tooltips), so the rest of the library stays out of the bundle, and the colours of
// the partner's theme (its CSS variables, docs/partner-theme.md) as the canvas needs them.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

export { Chart };

type Rgb = [number, number, number];

/** A colour the stylesheets give `cssColor` (a `var(--c-…)`), as red, green and blue. */
function resolve(probe: HTMLElement, cssColor: string, fallback: Rgb): Rgb {
  probe.style.color = cssColor;
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(getComputedStyle(probe).color);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : fallback;
}

const css = ([r, g, b]: Rgb) => `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
/** `a` with `share` of `b` mixed in. */
const mix = (a: Rgb, b: Rgb, share: number): Rgb => [0, 1, 2].map((i) => a[i]! * (1 - share) + b[i]! * share) as Rgb;

export interface ChartColors {
  /** One colour per data set, in order: the theme's primary first, then colours apart from it. */
  series: string[];
  text: string;
  muted: string;
  grid: string;
}

/** The theme's colours now (the theme's stylesheet may change them: read them for each chart). */
export function themeColors(): ChartColors {
  const probe = document.createElement('span');
  probe.hidden = true;
  document.body.append(probe);
  try {
    const primary = resolve(probe, 'var(--c-primary)', [26, 93, 200]);
    const header = resolve(probe, 'var(--c-header-bg)', [23, 32, 49]);
    const surface = resolve(probe, 'var(--c-surface)', [255, 255, 255]);
    const text = resolve(probe, 'var(--c-text)', [27, 36, 49]);
    const muted = resolve(probe, 'var(--c-muted)', [85, 96, 112]);
    const border = resolve(probe, 'var(--c-border)', [211, 217, 226]);
    return {
      series: [primary, mix(primary, surface, 0.55), header, muted, mix(header, surface, 0.55), mix(primary, text, 0.5)].map(css),
      text: css(text),
      muted: css(muted),
      grid: css(border),
    };
  } finally {
    probe.remove();
  }
}
