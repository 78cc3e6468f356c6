// A campaign's auto-invitations: after `afterSeconds` on a page whose address contains
// `urlContains`, from the visitor's `onVisit`-th visit on, the widget asks Parley to invite the
// visitor (POST /api/v1/visitors/me/invitation); Parley picks an online agent and sends the same
// `chatInvited` an agent's invitation sends, which sync.ts shows. Each rule fires at most once a
// visit, never during a chat or while an invitation is shown. A visit is a run of page views with
// no gap of 30 minutes.
import { api } from '../api/client.ts';
import type { InvitationRule } from '../api/types.ts';
import { load, save } from './storage.ts';
import { getState } from './store.ts';

const VISIT_GAP_MS = 30 * 60_000;

interface Visits {
  /** Visits so far, this one included. */
  count: number;
  lastSeen: number;
  /** Indexes of the rules that fired in this visit (for the campaign `campaign`). */
  fired: number[];
  campaign: number | null;
}

let site = '';
let url = '';
let started = false;
const timers = new Map<number, number>();

const key = () => `parley:visits:${site}`;

/** Counts a new visit when the last page view was long enough ago; returns the current one. */
function visit(): Visits {
  const now = Date.now();
  const known = load<Visits>(key());
  const campaign = getState().config.campaign?.id ?? null;
  let v: Visits = known && typeof known.count === 'number' ? known : { count: 0, lastSeen: 0, fired: [], campaign };
  if (now - v.lastSeen > VISIT_GAP_MS) v = { ...v, count: v.count + 1, fired: [] };
  if (v.campaign !== campaign) v = { ...v, fired: [], campaign };
  v = { ...v, lastSeen: now };
  save(key(), v);
  return v;
}

function matches(rule: InvitationRule, pageUrl: string, visits: number): boolean {
  if (rule.onVisit !== null && visits < rule.onVisit) return false;
  return rule.urlContains === null || pageUrl.toLowerCase().includes(rule.urlContains.toLowerCase());
}

function clearTimers(): void {
  for (const t of timers.values()) clearTimeout(t);
  timers.clear();
}

/** Arms the rules that apply to the current page; called when the page or the campaign changes. */
function arm(): void {
  clearTimers();
  const campaign = getState().config.campaign;
  if (!started || !campaign || !url || campaign.invitations.length === 0) return;
  const v = visit();
  campaign.invitations.forEach((rule, index) => {
    if (v.fired.includes(index) || !matches(rule, url, v.count)) return;
    const armedFor = url;
    timers.set(
      index,
      window.setTimeout(() => {
        timers.delete(index);
        void fire(campaign.id, index, armedFor);
      }, rule.afterSeconds * 1000),
    );
  });
}

async function fire(campaignId: number, index: number, armedFor: string): Promise<void> {
  const s = getState();
  // Still on the page, no chat under way, no invitation shown, and the campaign unchanged.
  if (url !== armedFor || s.chat || s.started || s.invitation || s.config.campaign?.id !== campaignId) return;
  const v = visit();
  if (v.fired.includes(index)) return;
  save(key(), { ...v, fired: [...v.fired, index] });
  // Nobody online, or the visitor started chatting meanwhile: no invitation, nothing to tell.
  await api('POST', '/api/v1/visitors/me/invitation', { campaignId, rule: index }).catch(() => {});
}

/** Starts following the rules (once the visitor's session is open). */
export function startInvitations(siteId: string): void {
  site = siteId;
  started = true;
  arm();
}

/** The host page changed (the loader reported it). */
export function pageChanged(pageUrl: string): void {
  if (pageUrl === url) return;
  url = pageUrl;
  arm();
}

/** The configuration (and so maybe the campaign) was loaded again. */
export function invitationsChanged(): void {
  arm();
}
