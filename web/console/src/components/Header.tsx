// The top bar: brand, the views, the agent's status and capacity, language, settings, the control
// panel (for agents who may use it), sign out.
import { useState } from 'react';
import { pageSiteId } from '../api/page.ts';
import { useT } from '../i18n/i18n.ts';
import { unreadCount } from '../state/chatState.ts';
import type { View } from '../state/model.ts';
import { setState, useStore } from '../state/store.ts';
import { BrandMark } from './BrandMark.tsx';
import { LanguageSelect } from './LanguageSelect.tsx';
import { SettingsDialog } from './SettingsDialog.tsx';
import { SignOutForm } from './SignOutForm.tsx';
import { StatusControl } from './StatusControl.tsx';

function useTotals() {
  const chats = useStore((s) => s.chats);
  const tabs = useStore((s) => s.tabs);
  const visitors = useStore((s) => s.visitors);
  const unread = tabs.reduce((sum, id) => sum + (chats[id] ? unreadCount(chats[id]) : 0), 0);
  return { unread, chats: tabs.length, visitors: Object.values(visitors).filter((v) => v.online).length };
}

export function Header() {
  const t = useT();
  const brand = useStore((s) => s.brand);
  const session = useStore((s) => s.session);
  const view = useStore((s) => s.view);
  const controlPanel = useStore((s) => s.controlPanel);
  const totals = useTotals();
  const [settingsOpen, setSettingsOpen] = useState(false);

  const nav: { id: View; label: string; badge?: number; count?: number }[] = [
    { id: 'chats', label: t('nav.chats'), count: totals.chats, badge: totals.unread },
    { id: 'visitors', label: t('nav.visitors'), count: totals.visitors },
    { id: 'history', label: t('nav.history') },
    { id: 'canned', label: t('nav.canned') },
  ];

  return (
    <header className="topbar">
      <div className="topbar-brand">
        <BrandMark brand={brand} />
      </div>
      <nav className="topbar-nav" aria-label={t('nav.label')}>
        {nav.map((item) => (
          <button
            key={item.id}
            type="button"
            className="nav-item"
            aria-current={view === item.id ? 'page' : undefined}
            onClick={() => setState((s) => ({ ...s, view: item.id }))}
            data-testid={`nav-${item.id}`}
          >
            {item.label}
            {item.count !== undefined && <span className="nav-count">{item.count}</span>}
            {item.badge ? (
              <span className="badge" data-testid={`nav-${item.id}-unread`}>
                <span className="visually-hidden">{t('chat.unreadLabel')} </span>
                {item.badge}
              </span>
            ) : null}
          </button>
        ))}
      </nav>
      <div className="topbar-tools">
        <StatusControl />
        <LanguageSelect />
        <button type="button" className="button ghost" onClick={() => setSettingsOpen(true)} data-testid="settings-button">
          {t('header.settings')}
        </button>
        {controlPanel && (
          <a className="button ghost" href={`/admin${pageSiteId ? `?siteId=${encodeURIComponent(pageSiteId)}` : ''}`} data-testid="control-panel-link">
            {t('header.controlPanel')}
          </a>
        )}
        <span className="agent-name" data-testid="agent-name" title={session?.email}>
          {session?.name}
        </span>
        <SignOutForm csrfToken={session?.csrfToken ?? null} />
      </div>
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
    </header>
  );
}
