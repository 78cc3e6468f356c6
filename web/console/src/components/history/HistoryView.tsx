// Searches past chats; a result opens its transcript, read only, beside the list.
import { type FormEvent, useState } from 'react';
import { searchChats } from '../../api/chats.ts';
import type { SearchResult } from '../../api/types.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useT } from '../../i18n/i18n.ts';
import { useAction } from '../hooks.ts';
import { TranscriptView } from './TranscriptView.tsx';

export function HistoryView() {
  const t = useT();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<SearchResult[] | null>(null);
  const [more, setMore] = useState(false);
  const [open, setOpen] = useState<SearchResult | null>(null);
  const [run, busy] = useAction();

  async function search(e?: FormEvent, beforeId?: number) {
    e?.preventDefault();
    const query = q.trim();
    if (!query) return;
    await run(async () => {
      const page = (await searchChats(query, beforeId)).results;
      setResults((prev) => (beforeId && prev ? [...prev, ...page] : page));
      setMore(page.length >= 25);
    });
  }

  return (
    <section className="history-view" aria-labelledby="history-title" data-testid="history-view">
      <div className="history-list">
        <h1 id="history-title">{t('history.title')}</h1>
        <form aria-label={t('history.searchLabel')} onSubmit={(e) => void search(e)} className="search-form">
          <label className="visually-hidden" htmlFor="history-q">
            {t('history.searchLabel')}
          </label>
          <input id="history-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('history.placeholder')} data-testid="history-search" />
          <button type="submit" className="button primary" disabled={busy} data-testid="history-submit">
            {t('history.search')}
          </button>
        </form>
        <div aria-live="polite" className="history-status">
          {results && (results.length === 0 ? t('history.noResults') : t('history.count', { count: results.length }))}
        </div>
        {results && results.length > 0 && (
          <ul className="history-results">
            {results.map((r) => (
              <li key={r.chat.id}>
                <button
                  type="button"
                  className="history-result"
                  aria-pressed={open?.chat.id === r.chat.id}
                  onClick={() => setOpen(r)}
                  data-testid="history-result"
                  data-chat-id={r.chat.id}
                >
                  <span className="history-who">{r.visitor.name || r.visitor.email || t('visitor.anonymous', { id: r.visitor.id })}</span>
                  <time dateTime={r.chat.requestedAt}>{formatDateTime(r.chat.requestedAt)}</time>
                  <span className="history-snippet">{r.snippet}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {more && results && (
          <button type="button" className="button" disabled={busy} onClick={() => void search(undefined, results.at(-1)?.chat.id)} data-testid="history-more">
            {t('history.more')}
          </button>
        )}
      </div>
      <div className="history-detail">
        {open ? <TranscriptView result={open} onClose={() => setOpen(null)} /> : <p className="muted empty-state">{t('history.pick')}</p>}
      </div>
    </section>
  );
}
