// The agent and group tables: a row per agent (or group) of the site with its chats, first
// response, duration, time online and CSAT over the view's days.
import type { Table, TableReport } from '../../api/reports.ts';
import { useT } from '../../i18n/i18n.ts';
import { figureLabel, unitOf } from './figures.ts';
import { FigureValue } from './SummaryCards.tsx';

/** The columns after the name: `report.figure`. */
const COLUMNS: `${TableReport}.${string}`[] = ['chats.total', 'chats.answered', 'chats.missed', 'first-response.average', 'duration.average', 'availability.onlineSeconds', 'survey.csat'];

/** The column's heading: the figure, with its report where the figure's own name is not enough (Average). */
function heading(t: ReturnType<typeof useT>, key: string): string {
  const [report] = key.split('.') as [TableReport];
  const label = figureLabel(key);
  return key.endsWith('.average') ? `${t(`reports.r.${report}`)}: ${label}` : label;
}

export function ReportTable({ by, table }: { by: 'agent' | 'group'; table: Table }) {
  const t = useT();
  const title = by === 'agent' ? t('reports.byAgent') : t('reports.byGroup');
  return (
    <section className="page-section report-table" aria-labelledby={`report-${by}s-title`} data-testid={`report-${by}s`}>
      <h2 id={`report-${by}s-title`}>{title}</h2>
      {table.rows.length === 0 ? (
        <p className="empty-state" data-testid={`report-${by}s-empty`}>
          {by === 'agent' ? t('reports.agentsEmpty') : t('reports.groupsEmpty')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{by === 'agent' ? t('reports.agent') : t('reports.group')}</th>
                {COLUMNS.map((key) => (
                  <th key={key} scope="col" className="numeric">
                    {heading(t, key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={row.id} data-testid={`report-${by}-row`} data-id={row.id}>
                  <th scope="row">{row.name ?? t('reports.gone', { id: row.id })}</th>
                  {COLUMNS.map((key) => {
                    const [report, name] = key.split('.') as [TableReport, string];
                    // A row with nothing counted has no figures: none is 0 chats and 0:00 online, and no average.
                    const unit = unitOf(key);
                    return (
                      <td key={key} className="numeric">
                        <FigureValue figure={key} value={row[report][name] ?? (unit === 'count' || unit === 'hours' ? 0 : null)} />
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
