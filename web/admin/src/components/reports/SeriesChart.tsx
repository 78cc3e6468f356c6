// One report's series as a chart (Chart.js on a canvas, in the theme's colours), with the same
// numbers as a table: read out always, shown on request; and the series' CSV download.
import { useEffect, useId, useRef, useState } from 'react';
import { type Lang, useLang } from '../../../../console/src/i18n/i18n.ts';
import type { ReportName, Series } from '../../api/reports.ts';
import { t, useT } from '../../i18n/i18n.ts';
import { Chart, type ChartColors, themeColors } from './chartSetup.ts';
import { CsvLink } from './CsvLink.tsx';
import { figureLabel, figureText, periodLabel, type Unit, unitOf } from './figures.ts';

interface ChartDef {
  kind: 'bar' | 'line';
  /** The figures drawn (all of one unit). */
  figures: readonly string[];
  /** Bars of one period on top of each other (parts of a whole). */
  stacked?: boolean;
}

/** What each report's chart draws. */
export const CHARTS: Record<ReportName, ChartDef> = {
  chats: { kind: 'bar', stacked: true, figures: ['answered', 'missed', 'abandoned', 'robot'] },
  queue: { kind: 'bar', figures: ['queued', 'abandoned'] },
  'first-response': { kind: 'line', figures: ['average', 'p50', 'p90'] },
  response: { kind: 'line', figures: ['average'] },
  duration: { kind: 'line', figures: ['average'] },
  messages: { kind: 'bar', figures: ['in', 'out'] },
  availability: { kind: 'bar', stacked: true, figures: ['onlineSeconds', 'awaySeconds', 'offlineSeconds'] },
  survey: { kind: 'bar', figures: ['answers', 'satisfied'] },
  robot: { kind: 'bar', figures: ['questions', 'answered', 'unknown', 'handovers'] },
};

/** Durations are drawn in minutes or hours (the axis says which); tooltips and the table say m:ss or h:mm. */
const SCALE: Record<Unit, number> = { count: 1, share: 100, seconds: 60, hours: 3600 };
/** Lines told apart without colour too. */
const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3]];

interface Props {
  series: Series;
  /** The series' CSV address (the same query with `format=csv`). */
  csvHref: string;
}

/** The figures a series' chart draws, as `report.figure`, and their unit. */
function drawn(series: Series): { keys: string[]; unit: Unit } {
  const keys = CHARTS[series.report].figures.map((f) => `${series.report}.${f}`);
  return { keys, unit: unitOf(keys[0]!) };
}

const labelsOf = (series: Series) => series.series.map((p) => periodLabel(p.start, series.interval, series.timezone));

/** A series as Chart.js draws it, in the theme's colours and the current language. */
function newChart(canvas: HTMLCanvasElement, series: Series, colors: ChartColors, lang: Lang): Chart {
  const def = CHARTS[series.report];
  const { keys, unit } = drawn(series);
  const stacked = def.stacked === true;
  const line = def.kind === 'line';
  return new Chart(canvas, {
    type: def.kind,
    data: {
      labels: labelsOf(series),
      datasets: keys.map((key, i) => {
        const color = colors.series[i % colors.series.length]!;
        const name = key.slice(series.report.length + 1);
        return {
          label: figureLabel(key),
          data: series.series.map((p) => {
            const v = p[name];
            return typeof v === 'number' ? v / SCALE[unit] : null;
          }),
          backgroundColor: color,
          borderColor: color,
          borderDash: line ? DASHES[i % DASHES.length]! : [],
          borderWidth: line ? 2 : 0,
          pointRadius: line ? 3 : 0,
          spanGaps: true,
        };
      }),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      locale: lang,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { stacked, offset: true, ticks: { color: colors.muted, maxRotation: 0, autoSkip: true }, grid: { display: false } },
        y: {
          stacked,
          beginAtZero: true,
          ticks: { color: colors.muted, precision: unit === 'count' ? 0 : 1 },
          grid: { color: colors.grid },
          title: { display: unit === 'seconds' || unit === 'hours', text: t(unit === 'hours' ? 'reports.axis.hours' : 'reports.axis.minutes'), color: colors.muted },
        },
      },
      plugins: {
        legend: { position: 'bottom', labels: { color: colors.text, boxWidth: 12 } },
        tooltip: {
          callbacks: {
            // The figure as the cards and the table say it (3:45 m:ss), not the drawn minutes.
            label: (item) => `${item.dataset.label}: ${figureText(item.raw === null ? null : Number(item.raw) * SCALE[unit], unit)}`,
          },
        },
      },
    },
  });
}

export function SeriesChart({ series, csvHref }: Props) {
  const t = useT();
  const lang = useLang();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [tableShown, setTableShown] = useState(false);
  const id = useId();
  const { keys, unit } = drawn(series);
  const labels = labelsOf(series);
  const title = t(`reports.r.${series.report}`);

  // Drawn anew for new figures or another language (the theme's colours are read each time).
  useEffect(() => {
    if (!canvas.current) return;
    const chart = newChart(canvas.current, series, themeColors(), lang);
    return () => chart.destroy();
  }, [series, lang]);

  return (
    <section className="card report-chart" aria-labelledby={`${id}-title`} data-testid={`chart-${series.report}`}>
      <div className="report-chart-header">
        <h3 id={`${id}-title`}>{title}</h3>
        <CsvLink href={csvHref} report={series.report} from={series.from} to={series.to} />
      </div>
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={t('reports.chartAlt', { report: title })} />
      </div>
      <button type="button" className="button small ghost" aria-pressed={tableShown} aria-controls={`${id}-table`} onClick={() => setTableShown((s) => !s)} data-testid="chart-table-toggle">
        {tableShown ? t('reports.hideTable') : t('reports.showTable')}
      </button>
      <div className={tableShown ? 'table-wrap' : 'visually-hidden'} id={`${id}-table`}>
        <table className="data-table compact" data-testid="chart-table">
          <caption className="visually-hidden">{t('reports.tableCaption', { report: title })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.period')}</th>
              {keys.map((key) => (
                <th key={key} scope="col">
                  {figureLabel(key)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {series.series.map((point, row) => (
              <tr key={point.start}>
                <th scope="row">{labels[row]}</th>
                {keys.map((key) => {
                  const v = point[key.slice(series.report.length + 1)];
                  return <td key={key}>{figureText(typeof v === 'number' ? v : null, unit)}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
