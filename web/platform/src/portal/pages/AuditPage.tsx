// The partner's audit log: what was done to the partner, its credentials, domains and sites, by
// whom and when, newest first, a page at a time ("Older entries" asks for those before the oldest
// shown).
import { useCallback, useEffect, useState } from 'react';
import { formatDateTime } from '../../../../console/src/i18n/format.ts';
import { problemText } from '../../../../admin/src/api/problems.ts';
import { ListTable } from '../../../../admin/src/components/ListTable.tsx';
import { LoadState } from '../../../../admin/src/components/Page.tsx';
import { ErrorLine, StatusLine } from '../../../../admin/src/components/Status.tsx';
import { type AuditEntry, listAudit } from '../api/sites.ts';
import { PortalPage } from '../components/PortalPage.tsx';
import { type Translate, useT } from '../i18n.ts';
import '../styles/sites.css';

const PAGE_SIZE = 50;

/** The actions the log names in words; any other shows as its code. */
const ACTIONS = [
  'site.created',
  'site.updated',
  'site.disabled',
  'site.enabled',
  'site.deleted',
  'site.restored',
  'site.purged',
  'partner.profileUpdated',
  'partner.brandingUpdated',
  'partner.logoUpdated',
  'partner.logoRemoved',
  'partner.themeUpdated',
  'partner.ipRestrictionsUpdated',
  'partner.embedOriginsUpdated',
  'partner.apiKeyRotated',
  'domain.added',
  'domain.verified',
  'domain.removed',
  'oauthClient.created',
  'oauthClient.secretRotated',
  'oauthClient.revoked',
  'application.approved',
  'partnerUser.passwordSet',
  'partnerUser.passwordLinkSent',
  'partnerUser.passwordResetSent',
] as const;
const ACTORS = ['platform', 'partner', 'partner-api', 'public', 'system'] as const;
const TARGETS = ['site', 'partner', 'domain', 'oauthClient', 'application', 'partnerUser'] as const;

/** Whether `value` is one of `list`'s. */
const oneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

export function AuditPage() {
  const t = useT();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  // The first of the older entries just shown: it takes the focus (the button may be gone).
  const [firstOlder, setFirstOlder] = useState<number | null>(null);

  const loadFrom = useCallback(
    async (before: number | null) => {
      setBusy(true);
      try {
        const page = await listAudit(before, PAGE_SIZE);
        setFirstOlder(before === null ? null : (page[0]?.id ?? null));
        setEntries((shown) => [...(before === null ? [] : (shown ?? [])), ...page]);
        setMore(page.length === PAGE_SIZE);
        setError(null);
        if (before !== null) setSaid(t('audit.moreShown', { count: page.length }));
      } catch (err) {
        setError(problemText(err, t('common.network')));
      } finally {
        setBusy(false);
      }
    },
    [t],
  );

  useEffect(() => {
    void loadFrom(null);
  }, [loadFrom]);

  useEffect(() => {
    if (firstOlder !== null) document.querySelector<HTMLElement>(`[data-audit-id="${firstOlder}"]`)?.focus();
  }, [firstOlder]);

  return (
    <PortalPage id="audit" intro={t('audit.intro')}>
      {entries ? (
        <>
          <ListTable
            testId="audit"
            count={entries.length}
            empty={t('audit.empty')}
            caption={t('audit.caption')}
            columns={[t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.target')]}
            className="data-table audit-table"
          >
            {entries.map((e) => (
              <tr key={e.id} data-testid="audit-row" data-audit-id={e.id} tabIndex={-1}>
                <td>
                  <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                </td>
                <td data-testid="audit-actor">{actorText(t, e.actor)}</td>
                <td data-testid="audit-action">
                  {actionText(t, e.action)}
                  <span className="audit-code mono">{e.action}</span>
                </td>
                <td data-testid="audit-target">{targetText(t, e)}</td>
                <td />
              </tr>
            ))}
          </ListTable>
          <StatusLine text={said} testId="audit-status-line" />
          <ErrorLine text={error} testId="audit-error" />
          <div className="form-actions">
            {more ? (
              <button type="button" className="button" disabled={busy} onClick={() => void loadFrom(entries.at(-1)?.id ?? null)} data-testid="audit-more">
                {busy ? t('common.loading') : t('audit.more')}
              </button>
            ) : (
              entries.length > 0 && (
                <p className="muted" data-testid="audit-end">
                  {t('audit.end')}
                </p>
              )
            )}
          </div>
        </>
      ) : (
        <LoadState error={error} onRetry={() => void loadFrom(null)} />
      )}
    </PortalPage>
  );
}

/** The action in words, or its code when the log has no words for it. */
function actionText(t: Translate, action: string): string {
  return oneOf(ACTIONS, action) ? t(`audit.action.${action}`) : action;
}

/** Who did it: a platform admin, a portal user, an API client (with their ids), anyone, or Parley itself. */
function actorText(t: Translate, actor: AuditEntry['actor']): string {
  const kind = oneOf(ACTORS, actor.kind) ? t(`audit.actor.${actor.kind}`) : actor.kind;
  return actor.id === null ? kind : t('audit.actorWithId', { kind, id: actor.id });
}

/** What it was done to: `site:12` as "Site 12", with the site's company when the entry has it. */
function targetText(t: Translate, e: AuditEntry): string {
  const [, kind = '', id = ''] = /^([A-Za-z]+):(\d+)$/.exec(e.target) ?? [];
  if (!oneOf(TARGETS, kind)) return e.target;
  const text = t(`audit.target.${kind}`, { id });
  const company = kind === 'site' ? (companyIn(e.after) ?? companyIn(e.before)) : null;
  return company ? t('audit.targetNamed', { target: text, name: company }) : text;
}

/** The company of a site snapshot (`{company}`, or `{site: {company}}` for a creation). */
function companyIn(snapshot: unknown): string | null {
  if (typeof snapshot !== 'object' || snapshot === null) return null;
  const o = snapshot as { company?: unknown; site?: { company?: unknown } };
  const company = o.company ?? o.site?.company;
  return typeof company === 'string' ? company : null;
}
