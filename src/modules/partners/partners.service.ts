// Partners: applications and their approval, the partner's profile, branding, theme, IP
// allow-list, API key and OAuth clients, portal users, suspension. Callers have already decided
// which partner a request may act on (routes); every function here takes that partner's id.
import type { Kysely, Transaction, Updateable } from 'kysely';
import { isUniqueViolation } from '../../platform/db/database.ts';
import { type DB, flag, type Partner, type PartnerApplication, type PartnerOauthClient, type PartnersTable } from '../../platform/db/schema.ts';
import { BadRequest, Conflict, InvalidState, NotFound, PayloadTooLarge, Unauthorized, UnsupportedMediaType } from '../../platform/errors.ts';
import { validateAllowList } from '../../platform/net/allow-list.ts';
import { hashPassword } from '../identity/index.ts';
import { verifyDecoy, verifyPassword } from '../identity/index.ts';
import { type Actor, audit } from './partners.audit.ts';
import { enqueueEmail, type Mailer } from './partners.mail.ts';
import { newSecret, secretHash, secretPrefix } from './partners.secrets.ts';
import { type Scope, parseScopes } from './partners.scopes.ts';
import { type LogoStore, checkLogo } from './logo.ts';
import { renderThemeCss, themeEtag, validateTheme } from './theme.ts';

// Sub-domains a partner's slug may not take.
const RESERVED_SLUGS = new Set(['www', 'api', 'app', 'admin', 'platform', 'portal', 'console', 'docs', 'mail', 'static', 'cdn', 'status', 'help', 'support', 'sso', 'auth', 'login']);
const LINK_TTL_MS = 72 * 3600_000;
const MAX_OAUTH_CLIENTS = 20;

export interface ApplicationInput {
  companyName: string;
  contactName: string;
  email: string;
  phone?: string | undefined;
  website?: string | undefined;
  note?: string | undefined;
}

export interface ApplicationView {
  id: number;
  status: 'pending' | 'approved' | 'rejected';
  companyName: string;
  contactName: string;
  email: string;
  phone: string | null;
  website: string | null;
  note: string | null;
  reason: string | null;
  partnerId: number | null;
  decidedBy: number | null;
  decidedAt: string | null;
  createdAt: string;
}

export interface PartnerView {
  id: number;
  name: string;
  /** A requested new name, waiting for the platform's approval. */
  pendingName: string | null;
  slug: string;
  contactName: string;
  contactEmail: string;
  phone: string | null;
  isActive: boolean;
  theme: string | null;
  apiKeyPrefix: string | null;
  ipRestrictions: string[];
  clientId: string | null;
  branding: string | null;
  logoUrl: string | null;
  themeCssUrl: string;
  host: string;
  createdAt: string;
  updatedAt: string;
}

export interface OauthClientView {
  id: number;
  clientId: string;
  name: string;
  scopes: string[];
  createdAt: string;
  rotatedAt: string | null;
  revokedAt: string | null;
}

export interface Credentials {
  /** Exchanged with the partner's id as client_id for a Partner API token. */
  apiKey: string;
  clientId: string;
  clientSecret: string;
}

export interface ThemePair {
  cssKey: string;
  cssValue: string;
}

interface Deps {
  db: Kysely<DB>;
  mailer: Mailer;
  logos: LogoStore;
  publicUrl: string;
  baseDomain: string;
  logoMaxBytes: number;
  /** Told when a partner's name, branding or logo changed (white-label hosts cache brands). */
  onBrandChanged(): void;
}

function presentApplication(a: PartnerApplication): ApplicationView {
  return {
    id: a.id,
    status: a.status,
    companyName: a.company_name,
    contactName: a.contact_name,
    email: a.email,
    phone: a.phone,
    website: a.website,
    note: a.note,
    reason: a.reason,
    partnerId: a.partner_id,
    decidedBy: a.decided_by,
    decidedAt: a.decided_at,
    createdAt: a.created_at,
  };
}

function presentClient(c: PartnerOauthClient): OauthClientView {
  return { id: c.id, clientId: c.client_id, name: c.name, scopes: c.scopes.split(' ').filter(Boolean), createdAt: c.created_at, rotatedAt: c.rotated_at, revokedAt: c.revoked_at };
}

/** A slug for a company name: lower-case letters, digits and hyphens. */
function slugOf(name: string): string {
  const base = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return base === '' || RESERVED_SLUGS.has(base) ? `partner-${base || 'new'}`.replace(/-$/, '') : base;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Partner operations. */
export function createPartnersService({ db, mailer, logos, publicUrl, baseDomain, logoMaxBytes, onBrandChanged }: Deps) {
  // Runs a brand change, then lets the host cache know.
  const branded = async <T>(change: Promise<T>): Promise<T> => {
    const out = await change;
    onBrandChanged();
    return out;
  };

  const hostOf = (slug: string) => `${slug}.${baseDomain}`;

  async function present(p: Partner, trx: Kysely<DB> = db): Promise<PartnerView> {
    return shape(p, await trx.selectFrom('partner_configs').select(['branding', 'logo']).where('partner_id', '=', p.id).executeTakeFirst());
  }

  function shape(p: Partner, config: { branding: string | null; logo: string | null } | undefined): PartnerView {
    return {
      id: p.id,
      name: p.name,
      pendingName: p.pending_name,
      slug: p.slug,
      contactName: p.contact_name,
      contactEmail: p.contact_email,
      phone: p.phone,
      isActive: flag(p.is_active),
      theme: p.theme,
      apiKeyPrefix: p.api_key_prefix,
      ipRestrictions: JSON.parse(p.ip_restrictions) as string[],
      clientId: p.client_id,
      branding: config?.branding ?? null,
      logoUrl: config?.logo ? `${publicUrl}/brand/logos/${config.logo}` : null,
      themeCssUrl: `${publicUrl}/brand/${p.slug}/theme.css`,
      host: hostOf(p.slug),
      createdAt: p.created_at,
      updatedAt: p.updated_at,
    };
  }

  async function load(partnerId: number, trx: Kysely<DB> = db): Promise<Partner> {
    const p = await trx.selectFrom('partners').selectAll().where('id', '=', partnerId).executeTakeFirst();
    if (!p) throw new NotFound('partner', partnerId);
    return p;
  }

  async function updatePartner(trx: Transaction<DB>, partnerId: number, set: Updateable<PartnersTable>): Promise<Partner> {
    return trx
      .updateTable('partners')
      .set({ ...set, updated_at: new Date().toISOString() })
      .where('id', '=', partnerId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async function freeSlug(trx: Kysely<DB>, wanted: string): Promise<string> {
    for (let n = 1; n < 1000; n++) {
      const slug = n === 1 ? wanted : `${wanted.slice(0, 56)}-${n}`;
      const taken = await trx.selectFrom('partners').select('id').where('slug', '=', slug).executeTakeFirst();
      if (!taken) return slug;
    }
    throw new Conflict(`No free slug like ${wanted}.`);
  }

  /** Issues a one-time link for a portal user to set a password; returns its URL. */
  async function passwordLink(trx: Kysely<DB>, userId: number, slug: string): Promise<string> {
    const token = newSecret('link');
    await trx
      .insertInto('one_time_links')
      .values({ token_hash: secretHash(token), purpose: 'partner-password', subject_id: userId, expires_at: new Date(Date.now() + LINK_TTL_MS).toISOString() })
      .execute();
    // The token travels in the fragment, so it never reaches a server log.
    return `${publicUrl}/portal/set-password?partner=${slug}#token=${token}`;
  }

  async function newClient(trx: Kysely<DB>, partnerId: number, name: string, scopes: Scope[]): Promise<{ row: PartnerOauthClient; secret: string }> {
    const secret = newSecret('clientSecret');
    const row = await trx
      .insertInto('partner_oauth_clients')
      .values({ partner_id: partnerId, client_id: newSecret('clientId'), secret_hash: secretHash(secret), name, scopes: scopes.join(' ') })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { row, secret };
  }

  async function revokeTokens(trx: Kysely<DB>, partnerId: number, where: { oauthClientId: number | null } | { userId: number }): Promise<void> {
    let q = trx.updateTable('partner_tokens').set({ revoked_at: new Date().toISOString() }).where('partner_id', '=', partnerId).where('revoked_at', 'is', null);
    if ('userId' in where) q = q.where('user_id', '=', where.userId);
    else q = where.oauthClientId === null ? q.where('kind', '=', 'oauth').where('oauth_client_id', 'is', null) : q.where('oauth_client_id', '=', where.oauthClientId);
    await q.execute();
  }

  return {
    hostOf,
    present,

    // ---- applications ------------------------------------------------------------------------

    /** A company applies to become a partner. */
    async submitApplication(input: ApplicationInput, actor: Actor): Promise<ApplicationView> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('partner_applications')
          .values({
            company_name: input.companyName.trim(),
            contact_name: input.contactName.trim(),
            email: input.email.toLowerCase(),
            phone: input.phone ?? null,
            website: input.website ?? null,
            note: input.note ?? null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit(trx, actor, { action: 'application.submitted', partnerId: null, target: `application:${row.id}`, after: presentApplication(row) });
        return presentApplication(row);
      });
    },

    async listApplications(status?: 'pending' | 'approved' | 'rejected'): Promise<ApplicationView[]> {
      let q = db.selectFrom('partner_applications').selectAll().orderBy('id', 'desc').limit(500);
      if (status) q = q.where('status', '=', status);
      return (await q.execute()).map(presentApplication);
    },

    async getApplication(id: number): Promise<ApplicationView> {
      const a = await db.selectFrom('partner_applications').selectAll().where('id', '=', id).executeTakeFirst();
      if (!a) throw new NotFound('application', id);
      return presentApplication(a);
    },

    /**
     * Approves a pending application: creates the partner, its API key and first OAuth client, and a
     * portal user for the contact with a set-password link. Secrets are in this answer only.
     */
    async approve(id: number, actor: Actor, opts: { slug?: string | undefined }) {
      if (opts.slug !== undefined && (!SLUG.test(opts.slug) || RESERVED_SLUGS.has(opts.slug))) {
        throw new BadRequest('A slug is 1-63 lower-case letters, digits and inner hyphens, and not a reserved name.');
      }
      const result = await db.transaction().execute(async (trx) => {
        const app = await trx.selectFrom('partner_applications').selectAll().where('id', '=', id).executeTakeFirst();
        if (!app) throw new NotFound('application', id);
        if (app.status !== 'pending') throw new InvalidState(`Application ${id} is already ${app.status}.`);
        if (await trx.selectFrom('partner_users').select('id').where('email', '=', app.email).executeTakeFirst()) {
          throw new Conflict(`${app.email} already has a partner-portal account.`);
        }
        const slug = opts.slug ?? (await freeSlug(trx, slugOf(app.company_name)));
        if (opts.slug && (await trx.selectFrom('partners').select('id').where('slug', '=', slug).executeTakeFirst())) throw new Conflict(`The slug ${slug} is taken.`);
        const apiKey = newSecret('apiKey');
        const partner = await trx
          .insertInto('partners')
          .values({ name: app.company_name, slug, contact_name: app.contact_name, contact_email: app.email, phone: app.phone, api_key_hash: secretHash(apiKey), api_key_prefix: secretPrefix(apiKey) })
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx.insertInto('partner_configs').values({ partner_id: partner.id }).execute();
        const client = await newClient(trx, partner.id, 'Default', ['partner-api', 'site-data:write']);
        const withClient = await updatePartner(trx, partner.id, { client_id: client.row.client_id });
        const user = await trx.insertInto('partner_users').values({ partner_id: partner.id, email: app.email, name: app.contact_name }).returning('id').executeTakeFirstOrThrow();
        const setPasswordUrl = await passwordLink(trx, user.id, slug);
        // The status check above raced nobody: this update only succeeds from pending.
        const decided = await trx
          .updateTable('partner_applications')
          .set({ status: 'approved', partner_id: partner.id, decided_by: actor.id, decided_at: new Date().toISOString() })
          .where('id', '=', id)
          .where('status', '=', 'pending')
          .returningAll()
          .executeTakeFirst();
        if (!decided) throw new InvalidState(`Application ${id} was decided meanwhile.`);
        await enqueueEmail(trx, {
          to: app.email,
          subject: 'Your Parley partner account is ready',
          body: `Hello ${app.contact_name},\n\n${app.company_name} is now a Parley partner. Set your portal password here (the link works once, for 72 hours):\n${setPasswordUrl}\n\nYour white-label host: https://${hostOf(slug)}\n`,
        });
        const view = await present(withClient, trx);
        await audit(trx, actor, { action: 'application.approved', partnerId: partner.id, target: `application:${id}`, before: presentApplication(app), after: view });
        return {
          application: presentApplication(decided),
          partner: view,
          credentials: { apiKey, clientId: client.row.client_id, clientSecret: client.secret } satisfies Credentials,
          portalUser: { id: user.id, email: app.email, setPasswordUrl },
        };
      }).catch((err: unknown) => {
        // Two approvals raced for the same slug or contact e-mail: the second one is refused.
        if (isUniqueViolation(err)) throw new Conflict('Another approval took the same slug or e-mail meanwhile; try again.');
        throw err;
      });
      void mailer.kick();
      return result;
    },

    /** Rejects a pending application with a reason the applicant is told. */
    async reject(id: number, actor: Actor, reason: string): Promise<ApplicationView> {
      const view = await db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('partner_applications').selectAll().where('id', '=', id).executeTakeFirst();
        if (!before) throw new NotFound('application', id);
        const row = await trx
          .updateTable('partner_applications')
          .set({ status: 'rejected', reason, decided_by: actor.id, decided_at: new Date().toISOString() })
          .where('id', '=', id)
          .where('status', '=', 'pending')
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new InvalidState(`Application ${id} is already ${before.status}.`);
        await enqueueEmail(trx, { to: row.email, subject: 'Your Parley partner application', body: `Hello ${row.contact_name},\n\nWe cannot accept ${row.company_name} as a partner now:\n${reason}\n` });
        await audit(trx, actor, { action: 'application.rejected', partnerId: null, target: `application:${id}`, before: presentApplication(before), after: presentApplication(row) });
        return presentApplication(row);
      });
      void mailer.kick();
      return view;
    },

    // ---- the partner ----------------------------------------------------------------------------

    async get(partnerId: number): Promise<PartnerView> {
      return present(await load(partnerId));
    },

    async list(): Promise<PartnerView[]> {
      const rows = await db.selectFrom('partners').selectAll().orderBy('id').execute();
      const configs = new Map((await db.selectFrom('partner_configs').select(['partner_id', 'branding', 'logo']).execute()).map((c) => [c.partner_id, c]));
      return rows.map((p) => shape(p, configs.get(p.id)));
    },

    /**
     * Updates the contact details. A partner's new `name` waits for the platform's approval; the
     * platform's own change applies at once.
     */
    async updateProfile(partnerId: number, actor: Actor, change: { name?: string | undefined; contactName?: string | undefined; contactEmail?: string | undefined; phone?: string | null | undefined }): Promise<PartnerView> {
      return branded(db.transaction().execute(async (trx) => {
        const before = await load(partnerId, trx);
        const set: Updateable<PartnersTable> = {};
        if (change.contactName !== undefined) set.contact_name = change.contactName.trim();
        if (change.contactEmail !== undefined) set.contact_email = change.contactEmail.toLowerCase();
        if (change.phone !== undefined) set.phone = change.phone;
        if (change.name !== undefined && change.name.trim() !== before.name) {
          if (actor.kind === 'platform') Object.assign(set, { name: change.name.trim(), pending_name: null });
          else set.pending_name = change.name.trim();
        }
        const after = await updatePartner(trx, partnerId, set);
        await audit(trx, actor, { action: 'partner.profileUpdated', partnerId, target: `partner:${partnerId}`, before: await present(before, trx), after: await present(after, trx) });
        return present(after, trx);
      }));
    },

    /** The platform approves or refuses a pending name change. */
    async decideName(partnerId: number, actor: Actor, approve: boolean): Promise<PartnerView> {
      return branded(db.transaction().execute(async (trx) => {
        const before = await load(partnerId, trx);
        if (before.pending_name === null) throw new InvalidState('No name change is waiting.');
        const after = await updatePartner(trx, partnerId, approve ? { name: before.pending_name, pending_name: null } : { pending_name: null });
        await audit(trx, actor, { action: approve ? 'partner.nameApproved' : 'partner.nameRejected', partnerId, target: `partner:${partnerId}`, before: { name: before.name, pendingName: before.pending_name }, after: { name: after.name } });
        return present(after, trx);
      }));
    },

    /** Suspends (tokens stop working; sites keep running) or reactivates a partner. */
    async setActive(partnerId: number, actor: Actor, isActive: boolean): Promise<PartnerView> {
      return db.transaction().execute(async (trx) => {
        const before = await load(partnerId, trx);
        const after = await updatePartner(trx, partnerId, { is_active: isActive });
        await audit(trx, actor, { action: isActive ? 'partner.reactivated' : 'partner.suspended', partnerId, target: `partner:${partnerId}`, before: { isActive: flag(before.is_active) }, after: { isActive } });
        return present(after, trx);
      });
    },

    // ---- branding, logo, theme ------------------------------------------------------------------

    async setBranding(partnerId: number, actor: Actor, branding: string | null): Promise<PartnerView> {
      return branded(db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('partner_configs').select('branding').where('partner_id', '=', partnerId).executeTakeFirst();
        await trx.updateTable('partner_configs').set({ branding, updated_at: new Date().toISOString() }).where('partner_id', '=', partnerId).execute();
        await audit(trx, actor, { action: 'partner.brandingUpdated', partnerId, target: `partner:${partnerId}`, before: { branding: before?.branding ?? null }, after: { branding } });
        return present(await load(partnerId, trx), trx);
      }));
    },

    /** Stores a new logo (checked for type, content and size) and points the partner at it. */
    async setLogo(partnerId: number, actor: Actor, bytes: Buffer, contentType: string | undefined): Promise<PartnerView> {
      const checked = checkLogo(bytes, contentType, logoMaxBytes);
      if (!checked.ok) {
        if (checked.code === 'too-large') throw new PayloadTooLarge(checked.reason);
        if (checked.code === 'unsupported-type') throw new UnsupportedMediaType(checked.reason);
        throw new BadRequest(checked.reason, { reason: checked.code });
      }
      await load(partnerId);
      const name = await logos.save(partnerId, bytes, checked.ext);
      return branded(db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('partner_configs').select('logo').where('partner_id', '=', partnerId).executeTakeFirst();
        await trx.updateTable('partner_configs').set({ logo: name, updated_at: new Date().toISOString() }).where('partner_id', '=', partnerId).execute();
        await audit(trx, actor, { action: 'partner.logoUpdated', partnerId, target: `partner:${partnerId}`, before: { logo: before?.logo ?? null }, after: { logo: name, type: checked.type, bytes: bytes.length } });
        return present(await load(partnerId, trx), trx);
      }));
    },

    async removeLogo(partnerId: number, actor: Actor): Promise<PartnerView> {
      return branded(db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('partner_configs').select('logo').where('partner_id', '=', partnerId).executeTakeFirst();
        await trx.updateTable('partner_configs').set({ logo: null, updated_at: new Date().toISOString() }).where('partner_id', '=', partnerId).execute();
        await audit(trx, actor, { action: 'partner.logoRemoved', partnerId, target: `partner:${partnerId}`, before: { logo: before?.logo ?? null }, after: { logo: null } });
        return present(await load(partnerId, trx), trx);
      }));
    },

    async getTheme(partnerId: number): Promise<ThemePair[]> {
      await load(partnerId);
      const rows = await db.selectFrom('partner_themes').select(['css_key', 'css_value']).where('partner_id', '=', partnerId).orderBy('css_key').execute();
      return rows.map((r) => ({ cssKey: r.css_key, cssValue: r.css_value }));
    },

    /** Replaces the partner's theme; every pair must be a documented token with a valid value. */
    async setTheme(partnerId: number, actor: Actor, pairs: ThemePair[]): Promise<ThemePair[]> {
      const checked = validateTheme(pairs);
      if (!checked.ok) {
        throw new BadRequest('The theme has invalid tokens or values; see docs/partner-theme.md.', {
          errors: checked.errors.map((e) => ({ path: `body.pairs.${e.index}`, message: e.reason })),
        });
      }
      return db.transaction().execute(async (trx) => {
        await load(partnerId, trx);
        const before = await trx.selectFrom('partner_themes').select(['css_key', 'css_value']).where('partner_id', '=', partnerId).execute();
        await trx.deleteFrom('partner_themes').where('partner_id', '=', partnerId).execute();
        if (checked.value.length > 0) {
          await trx.insertInto('partner_themes').values(checked.value.map((p) => ({ partner_id: partnerId, css_key: p.cssKey, css_value: p.cssValue }))).execute();
        }
        await trx.updateTable('partners').set({ updated_at: new Date().toISOString() }).where('id', '=', partnerId).execute();
        await audit(trx, actor, { action: 'partner.themeUpdated', partnerId, target: `partner:${partnerId}`, before: before.map((r) => ({ cssKey: r.css_key, cssValue: r.css_value })), after: checked.value });
        return checked.value;
      });
    },

    /** The partner's theme as CSS custom properties, with its ETag; undefined for no such partner. */
    async themeCss(slug: string): Promise<{ css: string; etag: string } | undefined> {
      const p = await db.selectFrom('partners').select('id').where('slug', '=', slug).executeTakeFirst();
      if (!p) return undefined;
      const rows = await db.selectFrom('partner_themes').select(['css_key', 'css_value']).where('partner_id', '=', p.id).execute();
      const css = renderThemeCss(rows.map((r) => ({ cssKey: r.css_key, cssValue: r.css_value })));
      return { css, etag: themeEtag(css) };
    },

    // ---- API access -----------------------------------------------------------------------------

    /** Replaces the addresses the Partner API may be called from (empty: anywhere). */
    async setIpRestrictions(partnerId: number, actor: Actor, entries: string[]): Promise<PartnerView> {
      const checked = validateAllowList(entries);
      if (!checked.ok) {
        throw new BadRequest('The IP allow-list has invalid entries.', { errors: checked.errors.map((e) => ({ path: `body.ipRestrictions.${e.index}`, message: e.reason })) });
      }
      return db.transaction().execute(async (trx) => {
        const before = await load(partnerId, trx);
        const after = await updatePartner(trx, partnerId, { ip_restrictions: JSON.stringify(checked.value) });
        await audit(trx, actor, { action: 'partner.ipRestrictionsUpdated', partnerId, target: `partner:${partnerId}`, before: JSON.parse(before.ip_restrictions), after: checked.value });
        return present(after, trx);
      });
    },

    /** A new API key; the old one and the tokens issued to it stop working at once. */
    async rotateApiKey(partnerId: number, actor: Actor): Promise<{ apiKey: string; partner: PartnerView }> {
      return db.transaction().execute(async (trx) => {
        await load(partnerId, trx);
        const apiKey = newSecret('apiKey');
        const after = await updatePartner(trx, partnerId, { api_key_hash: secretHash(apiKey), api_key_prefix: secretPrefix(apiKey), api_key_rotated_at: new Date().toISOString() });
        await revokeTokens(trx, partnerId, { oauthClientId: null });
        await audit(trx, actor, { action: 'partner.apiKeyRotated', partnerId, target: `partner:${partnerId}`, after: { apiKeyPrefix: after.api_key_prefix } });
        return { apiKey, partner: await present(after, trx) };
      });
    },

    async listClients(partnerId: number): Promise<OauthClientView[]> {
      await load(partnerId);
      return (await db.selectFrom('partner_oauth_clients').selectAll().where('partner_id', '=', partnerId).orderBy('id').execute()).map(presentClient);
    },

    /** A new OAuth client with the scopes it may be granted; its secret is in this answer only. */
    async createClient(partnerId: number, actor: Actor, input: { name: string; scopes: string[] }): Promise<OauthClientView & { clientSecret: string }> {
      const scopes = parseScopes(input.scopes.join(' '));
      if (!scopes.ok) throw new BadRequest(scopes.reason);
      return db.transaction().execute(async (trx) => {
        await load(partnerId, trx);
        const held = await trx.selectFrom('partner_oauth_clients').select((eb) => eb.fn.countAll<number>().as('n')).where('partner_id', '=', partnerId).where('revoked_at', 'is', null).executeTakeFirstOrThrow();
        if (Number(held.n) >= MAX_OAUTH_CLIENTS) throw new Conflict(`A partner holds at most ${MAX_OAUTH_CLIENTS} active OAuth clients.`);
        await requireOwnSites(trx, partnerId, scopes.value);
        const { row, secret } = await newClient(trx, partnerId, input.name.trim(), scopes.value);
        await audit(trx, actor, { action: 'oauthClient.created', partnerId, target: `oauthClient:${row.id}`, after: presentClient(row) });
        return { ...presentClient(row), clientSecret: secret };
      });
    },

    /** A new secret for a client; the old secret and the client's tokens stop working at once. */
    async rotateClientSecret(partnerId: number, actor: Actor, id: number): Promise<OauthClientView & { clientSecret: string }> {
      return db.transaction().execute(async (trx) => {
        const secret = newSecret('clientSecret');
        const row = await trx
          .updateTable('partner_oauth_clients')
          .set({ secret_hash: secretHash(secret), rotated_at: new Date().toISOString() })
          .where('partner_id', '=', partnerId)
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new NotFound('OAuth client', id);
        await revokeTokens(trx, partnerId, { oauthClientId: id });
        await audit(trx, actor, { action: 'oauthClient.secretRotated', partnerId, target: `oauthClient:${id}` });
        return { ...presentClient(row), clientSecret: secret };
      });
    },

    /** Revokes a client and every token it holds. */
    async revokeClient(partnerId: number, actor: Actor, id: number): Promise<OauthClientView> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('partner_oauth_clients')
          .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(new Date().toISOString())) }))
          .where('partner_id', '=', partnerId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new NotFound('OAuth client', id);
        await revokeTokens(trx, partnerId, { oauthClientId: id });
        await audit(trx, actor, { action: 'oauthClient.revoked', partnerId, target: `oauthClient:${id}` });
        return presentClient(row);
      });
    },

    // ---- portal users ---------------------------------------------------------------------------

    /** Sets a portal user's password with a one-time link's token; the link is spent. */
    async setPassword(token: string, password: string): Promise<{ email: string }> {
      return db.transaction().execute(async (trx) => {
        const link = await trx
          .updateTable('one_time_links')
          .set({ used_at: new Date().toISOString() })
          .where('token_hash', '=', secretHash(token))
          .where('purpose', '=', 'partner-password')
          .where('used_at', 'is', null)
          .where('expires_at', '>', new Date().toISOString())
          .returning('subject_id')
          .executeTakeFirst();
        if (!link) throw new Unauthorized('This link is not valid: it was used already, it expired, or it was never issued.');
        const user = await trx.updateTable('partner_users').set({ password_hash: await hashPassword(password) }).where('id', '=', link.subject_id).returning(['email', 'partner_id']).executeTakeFirstOrThrow();
        await revokeTokens(trx, user.partner_id, { userId: link.subject_id });
        await audit(trx, { kind: 'partner', id: link.subject_id }, { action: 'partnerUser.passwordSet', partnerId: user.partner_id, target: `partnerUser:${link.subject_id}` });
        return { email: user.email };
      });
    },

    /**
     * Checks a portal login; the caller issues the session. Suspended partners cannot log in, and on
     * a partner's white-label host (`hostPartnerId`) only that partner's users can.
     */
    async checkPortalLogin(email: string, password: string, hostPartnerId: number | null = null): Promise<{ userId: number; partnerId: number }> {
      const user = await db
        .selectFrom('partner_users as u')
        .innerJoin('partners as p', 'p.id', 'u.partner_id')
        .select(['u.id', 'u.partner_id', 'u.password_hash', 'u.is_active', 'p.is_active as partner_active'])
        .where('u.email', '=', email.toLowerCase())
        .executeTakeFirst();
      const ok = user?.password_hash ? await verifyPassword(password, user.password_hash) : await verifyDecoy(password);
      if (!user || !ok || (hostPartnerId !== null && user.partner_id !== hostPartnerId)) throw new Unauthorized('Wrong e-mail or password.');
      if (!flag(user.is_active) || !flag(user.partner_active)) throw new Unauthorized('This partner account is suspended.');
      return { userId: user.id, partnerId: user.partner_id };
    },

    /** A new set-password link for a portal user of the partner (sent by e-mail). */
    async resendPasswordLink(partnerId: number, actor: Actor, userId: number): Promise<{ setPasswordUrl: string }> {
      const out = await db.transaction().execute(async (trx) => {
        const user = await trx.selectFrom('partner_users').select(['email', 'name']).where('id', '=', userId).where('partner_id', '=', partnerId).executeTakeFirst();
        if (!user) throw new NotFound('partner user', userId);
        const slug = (await load(partnerId, trx)).slug;
        const setPasswordUrl = await passwordLink(trx, userId, slug);
        await enqueueEmail(trx, { to: user.email, subject: 'Set your Parley partner-portal password', body: `Hello ${user.name},\n\nSet your password here (the link works once, for 72 hours):\n${setPasswordUrl}\n` });
        await audit(trx, actor, { action: 'partnerUser.passwordLinkSent', partnerId, target: `partnerUser:${userId}` });
        return { setPasswordUrl };
      });
      void mailer.kick();
      return out;
    },
  };
}

/** Every `site:{id}` scope must name a site of the partner. */
async function requireOwnSites(trx: Kysely<DB>, partnerId: number, scopes: Scope[]): Promise<void> {
  const ids = scopes.flatMap((s) => (s.startsWith('site:') ? [Number(s.slice(5))] : []));
  if (ids.length === 0) return;
  const own = await trx.selectFrom('sites').select('id').where('partner_id', '=', partnerId).where('id', 'in', ids).execute();
  const missing = ids.find((id) => !own.some((s) => s.id === id));
  if (missing !== undefined) throw new NotFound('site', missing);
}

export type PartnersService = ReturnType<typeof createPartnersService>;
