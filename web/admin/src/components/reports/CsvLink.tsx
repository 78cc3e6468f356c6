// A series' "Download CSV": a link to the API's CSV (format=csv), fetched through the API client so
// that the panel's session or the portal's bearer token goes with it (a token never goes into an
// address), and saved from a Blob under the server's file name. A refusal is said beside the link.
import { type MouseEvent, useState } from 'react';
import { problemText } from '../../api/problems.ts';
import { fetchCsv, type ReportName } from '../../api/reports.ts';
import { useT } from '../../i18n/i18n.ts';

interface Props {
  href: string;
  report: ReportName;
  from: string;
  to: string;
}

/** Saves text as a file the browser downloads. */
function save(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // The browser reads the object URL as the download starts; a minute later nobody needs it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function CsvLink({ href, report, from, to }: Props) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  // The server's own name for the file (its Content-Disposition).
  const fileName = `parley-${report}-${from}-${to}.csv`;

  async function download(e: MouseEvent<HTMLAnchorElement>) {
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    setError(null);
    try {
      save(await fetchCsv(href), fileName);
    } catch (err) {
      setError(t('reports.csvFailed', { error: problemText(err, t('common.network')) }));
    }
  }

  return (
    <span className="csv-link">
      <a className="button small" href={href} download={fileName} aria-label={t('reports.csvLabel', { report: t(`reports.r.${report}`) })} onClick={(e) => void download(e)} data-testid={`csv-${report}`}>
        {t('reports.csv')}
      </a>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
