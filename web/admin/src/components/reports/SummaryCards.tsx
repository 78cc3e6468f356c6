// The summary: a card per report with its lead figure large and the others listed. Every figure is
// a <data> element whose value is the API's own number (the text is that number formatted), so what
// the page shows can be checked against what the API says.
import { REPORTS, type ReportName, type Summary } from '../../api/reports.ts';
import { useT } from '../../i18n/i18n.ts';
import { figureLabel, figuresOf, formatFigure, unitOf } from './figures.ts';

/** One figure: its number in words, the clock's pattern for a duration, and the API's value. */
export function FigureValue({ figure, value }: { figure: string; value: number | null | undefined }) {
  const t = useT();
  const shown = formatFigure(value, unitOf(figure));
  return (
    <>
      <data value={value ?? ''} data-figure={figure} title={value === null ? t('reports.noValueLabel') : undefined}>
        {shown.text}
      </data>
      {shown.pattern && <small className="figure-pattern"> {shown.pattern}</small>}
    </>
  );
}

function ReportCard({ report, summary }: { report: ReportName; summary: Summary }) {
  const t = useT();
  const figures = summary[report];
  const [lead, ...rest] = figuresOf(report, figures);
  const name = (key: string) => key.slice(report.length + 1);
  return (
    <section className="card report-card" aria-labelledby={`report-card-${report}`} data-testid={`card-${report}`}>
      <h3 id={`report-card-${report}`}>{t(`reports.r.${report}`)}</h3>
      <p className="report-lead">
        <span className="report-lead-label">{figureLabel(lead!)}</span>
        <span className="report-lead-value">
          <FigureValue figure={lead!} value={figures[name(lead!)]} />
        </span>
      </p>
      <dl className="report-figures">
        {rest.map((key) => (
          <div key={key}>
            <dt>{figureLabel(key)}</dt>
            <dd>
              <FigureValue figure={key} value={figures[name(key)]} />
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Every report's card, or only `reports`. */
export function SummaryCards({ summary, reports = REPORTS }: { summary: Summary; reports?: readonly ReportName[] }) {
  return (
    <div className="report-cards" data-testid="report-cards">
      {reports.map((r) => (
        <ReportCard key={r} report={r} summary={summary} />
      ))}
    </div>
  );
}
