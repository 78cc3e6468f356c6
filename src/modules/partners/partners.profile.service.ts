// A partner itself: its contact details and name (a partner's new name waits for the platform's
// approval), suspension, and the addresses its Partner API calls may come from.
import type { EventLog } from '../../platform/events/index.ts';
import type { PartnerEvent } from './partners.events.ts';
import type { Kysely, Updateable } from 'kysely';
import { flag } from '../../platform/db/columns.ts';
import { BadRequest, InvalidState } from '../../platform/errors.ts';
import { validateAllowList } from '../../platform/net/allow-list.ts';
import { type Actor, audit } from './partners.audit.ts';
import { loadPartner, type PartnerUrls, type PartnerView, presentPartner, shapePartner } from './partners.presenter.ts';
import { findPartnerBySlug, insertPartner, listBrandConfigs, listPartners, partnerExists, updatePartner } from './partners.repository.ts';
import type { PartnersTable, PartnersTables } from './partners.tables.ts';

/** A partner's slug: a DNS label, since it names the partner's sub-domain. */
export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Sub-domains a partner's slug may not take. */
export const RESERVED_SLUGS = new Set(['www', 'api', 'app', 'admin', 'platform', 'portal', 'console', 'docs', 'mail', 'static', 'cdn', 'status', 'help', 'support', 'sso', 'auth', 'login']);

export interface ProfileChange {
  name?: string | undefined;
  contactName?: string | undefined;
  contactEmail?: string | undefined;
  phone?: string | null | undefined;
}

/** Partners and their profiles. */
export interface ProfileService {
  /** One partner. */
  get(partnerId: number): Promise<PartnerView>;
  /** Every partner. */
  list(): Promise<PartnerView[]>;
  /** Whether a partner of this id exists. */
  exists(partnerId: number): Promise<boolean>;
  /**
   * Creates a partner directly, without an application (for the demo and for operators' scripts);
   * it has no API key, OAuth client or portal user until they are made.
   */
  create(p: { name: string; slug: string; contactName: string; contactEmail: string; phone?: string | undefined }): Promise<PartnerView>;
  /** The partner with this slug, if there is one. */
  findBySlug(slug: string): Promise<PartnerView | undefined>;
  /**
   * Updates the contact details. A partner's new `name` waits for the platform's approval; the
   * platform's own change applies at once.
   */
  updateProfile(partnerId: number, actor: Actor, change: ProfileChange): Promise<PartnerView>;
  /** The platform approves or refuses a pending name change. */
  decideName(partnerId: number, actor: Actor, approve: boolean): Promise<PartnerView>;
  /** Suspends (tokens stop working; sites keep running) or reactivates a partner. */
  setActive(partnerId: number, actor: Actor, isActive: boolean): Promise<PartnerView>;
  /** Replaces the addresses the Partner API may be called from (empty: anywhere). */
  setIpRestrictions(partnerId: number, actor: Actor, entries: string[]): Promise<PartnerView>;
}

interface Deps {
  db: Kysely<PartnersTables>;
  events: EventLog<PartnersTables, PartnerEvent>;
  urls: PartnerUrls;
  /** Told when a partner's name changed (white-label hosts cache brands). */
  onBrandChanged(): void;
}

/** Partner profiles over the database. */
export function createProfileService({ db, events, urls, onBrandChanged }: Deps): ProfileService {
  // Runs a change of what a brand shows, then lets the host cache know.
  const branded = async <T>(change: Promise<T>): Promise<T> => {
    const out = await change;
    onBrandChanged();
    return out;
  };

  return {
    async get(partnerId) {
      return presentPartner(db, await loadPartner(db, partnerId), urls);
    },

    async list() {
      const rows = await listPartners(db);
      const configs = new Map((await listBrandConfigs(db)).map((c) => [c.partner_id, c]));
      return rows.map((p) => shapePartner(p, configs.get(p.id), urls));
    },

    exists: (partnerId) => partnerExists(db, partnerId),

    async create(p) {
      if (!SLUG.test(p.slug)) throw new BadRequest('A partner slug is 1-63 lower-case letters, digits and inner hyphens.');
      return events.transaction(async (trx, emit) => {
        const partner = await insertPartner(trx, { name: p.name, slug: p.slug, contact_name: p.contactName, contact_email: p.contactEmail, phone: p.phone ?? null });
        emit({ name: 'partner.created', siteId: null, partnerId: partner.id, slug: partner.slug });
        return presentPartner(trx, partner, urls);
      });
    },

    async findBySlug(slug) {
      const partner = await findPartnerBySlug(db, slug);
      return partner && presentPartner(db, partner, urls);
    },

    async updateProfile(partnerId, actor, change) {
      return branded(
        db.transaction().execute(async (trx) => {
          const before = await loadPartner(trx, partnerId);
          const set: Updateable<PartnersTable> = {};
          if (change.contactName !== undefined) set.contact_name = change.contactName.trim();
          if (change.contactEmail !== undefined) set.contact_email = change.contactEmail.toLowerCase();
          if (change.phone !== undefined) set.phone = change.phone;
          if (change.name !== undefined && change.name.trim() !== before.name) {
            if (actor.kind === 'platform') Object.assign(set, { name: change.name.trim(), pending_name: null });
            else set.pending_name = change.name.trim();
          }
          const after = await updatePartner(trx, partnerId, set);
          await audit(trx, actor, { action: 'partner.profileUpdated', partnerId, target: `partner:${partnerId}`, before: await presentPartner(trx, before, urls), after: await presentPartner(trx, after, urls) });
          return presentPartner(trx, after, urls);
        }),
      );
    },

    async decideName(partnerId, actor, approve) {
      return branded(
        db.transaction().execute(async (trx) => {
          const before = await loadPartner(trx, partnerId);
          if (before.pending_name === null) throw new InvalidState('No name change is waiting.');
          const after = await updatePartner(trx, partnerId, approve ? { name: before.pending_name, pending_name: null } : { pending_name: null });
          await audit(trx, actor, {
            action: approve ? 'partner.nameApproved' : 'partner.nameRejected',
            partnerId,
            target: `partner:${partnerId}`,
            before: { name: before.name, pendingName: before.pending_name },
            after: { name: after.name },
          });
          return presentPartner(trx, after, urls);
        }),
      );
    },

    async setActive(partnerId, actor, isActive) {
      return events.transaction(async (trx, emit) => {
        const before = await loadPartner(trx, partnerId);
        const after = await updatePartner(trx, partnerId, { is_active: isActive });
        await audit(trx, actor, { action: isActive ? 'partner.reactivated' : 'partner.suspended', partnerId, target: `partner:${partnerId}`, before: { isActive: flag(before.is_active) }, after: { isActive } });
        if (flag(before.is_active) !== isActive) emit({ name: isActive ? 'partner.reinstated' : 'partner.suspended', siteId: null, partnerId });
        return presentPartner(trx, after, urls);
      });
    },

    async setIpRestrictions(partnerId, actor, entries) {
      const checked = validateAllowList(entries);
      if (!checked.ok) {
        throw new BadRequest('The IP allow-list has invalid entries.', { errors: checked.errors.map((e) => ({ path: `body.ipRestrictions.${e.index}`, message: e.reason })) });
      }
      return db.transaction().execute(async (trx) => {
        const before = await loadPartner(trx, partnerId);
        const after = await updatePartner(trx, partnerId, { ip_restrictions: JSON.stringify(checked.value) });
        await audit(trx, actor, { action: 'partner.ipRestrictionsUpdated', partnerId, target: `partner:${partnerId}`, before: JSON.parse(before.ip_restrictions), after: checked.value });
        return presentPartner(trx, after, urls);
      });
    },
  };
}
