// Short messages shown at the bottom of the screen (and read out by screen readers).
import { setState } from './store.ts';

let nextId = 1;

export function notice(text: string, tone: 'info' | 'error' = 'info'): void {
  const id = nextId++;
  setState((s) => ({ ...s, notices: [...s.notices.slice(-3), { id, text, tone }] }));
  setTimeout(() => dismissNotice(id), tone === 'error' ? 10_000 : 6000);
}

export function dismissNotice(id: number): void {
  setState((s) => (s.notices.some((n) => n.id === id) ? { ...s, notices: s.notices.filter((n) => n.id !== id) } : s));
}

export { errorText } from '../api/http.ts';
