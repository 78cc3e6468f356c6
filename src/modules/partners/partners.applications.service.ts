// Becoming a partner: a company applies, and a platform admin approves (which creates the partner,
// its credentials and its first portal user) or rejects it with a reason the applicant is told.
import type { EventLog } from '../../platform/events/index.ts';
import type { PartnerEvent } from './partners.events.ts';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../platform/db/database.ts';
import { BadRequest, Conflict, InvalidState, NotFound } from '../../platform/errors.ts';
import { insertPortalUser, portalEmailTaken } from './partners.access.repository.ts';
import { type Actor, audit } from './partners.audit.ts';
import { newOauthClient } from './partners.credentials.service.ts';
import { enqueueEmail, type Mailer } from './partners.mail.ts';
import { type ApplicationView, hostOf, type PartnerUrls, type PartnerView, presentApplication, presentPartner } from './partners.presenter.ts';
import { RESERVED_SLUGS, SLUG } from './partners.profile.service.ts';
import { decideApplication, findApplication, insertApplication, insertPartner, listApplications, partnerIdOfSlug, updatePartner } from './partners.repository.ts';
import { newSecret, secretHash, secretPrefix } from './partners.secrets.ts';
import type { PartnersTables } from './partners.tables.ts';
import { issuePasswordLink } from './partners.users.service.ts';

export interface ApplicationInput {
  companyName: string;
  contactName: string;
  email: string;
  phone?: string | undefined;
  website?: string | undefined;
  note?: string | undefined;
}

export interface Credentials {
  /** Exchanged with the partner's id as client_id for a Partner API token. */
  apiKey: string;
  clientId: string;
  clientSecret: string;
}

/** What an approval answers: the new partner, its secrets (shown this once) and its portal user. */
export interface Approval {
  application: ApplicationView;
  partner: PartnerView;
  credentials: Credentials;
  portalUser: { id: number; email: string; setPasswordUrl: string };
}

/** Partner applications. */
export interface ApplicationsService {
  /** A company applies to become a partner. */
  submitApplication(input: ApplicationInput, actor: Actor): Promise<ApplicationView>;
  /** The newest applications first, optionally of one status. */
  listApplications(status?: 'pending' | 'approved' | 'rejected'): Promise<ApplicationView[]>;
  /** One application. */
  getApplication(id: number): Promise<ApplicationView>;
  /**
   * Approves a pending application: creates the partner, its API key and first OAuth client, and a
   * portal user for the contact with a set-password link. Secrets are in this answer only.
   */
  approve(id: number, actor: Actor, opts: { slug?: string | undefined }): Promise<Approval>;
  /** Rejects a pending application with a reason the applicant is told. */
  reject(id: number, actor: Actor, reason: string): Promise<ApplicationView>;
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

/** `wanted`, or the first of `wanted-2`, `wanted-3`, … no partner has. */
async function freeSlug(trx: Kysely<PartnersTables>, wanted: string): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const slug = n === 1 ? wanted : `${wanted.slice(0, 56)}-${n}`;
    if ((await partnerIdOfSlug(trx, slug)) === undefined) return slug;
  }
  throw new Conflict(`No free slug like ${wanted}.`);
}

interface Deps {
  db: Kysely<PartnersTables>;
  events: EventLog<PartnersTables, PartnerEvent>;
  urls: PartnerUrls;
  mailer: Mailer;
}

/** Applications over the database. */
export function createApplicationsService({ db, events, urls, mailer }: Deps): ApplicationsService {
  return {
    async submitApplication(input, actor) {
      return events.transaction(async (trx, emit) => {
        const row = await insertApplication(trx, {
          company_name: input.companyName.trim(),
          contact_name: input.contactName.trim(),
          email: input.email.toLowerCase(),
          phone: input.phone ?? null,
          website: input.website ?? null,
          note: input.note ?? null,
        });
        await audit(trx, actor, { action: 'application.submitted', partnerId: null, target: `application:${row.id}`, after: presentApplication(row) });
        emit({ name: 'partner.applied', siteId: null, applicationId: row.id });
        return presentApplication(row);
      });
    },

    async listApplications(status) {
      return (await listApplications(db, status)).map(presentApplication);
    },

    async getApplication(id) {
      const a = await findApplication(db, id);
      if (!a) throw new NotFound('application', id);
      return presentApplication(a);
    },

    async approve(id, actor, opts) {
      if (opts.slug !== undefined && (!SLUG.test(opts.slug) || RESERVED_SLUGS.has(opts.slug))) {
        throw new BadRequest('A slug is 1-63 lower-case letters, digits and inner hyphens, and not a reserved name.');
      }
      const result = await events
        .transaction(async (trx, emit): Promise<Approval> => {
          const app = await findApplication(trx, id);
          if (!app) throw new NotFound('application', id);
          if (app.status !== 'pending') throw new InvalidState(`Application ${id} is already ${app.status}.`);
          if (await portalEmailTaken(trx, app.email)) throw new Conflict(`${app.email} already has a partner-portal account.`);
          const slug = opts.slug ?? (await freeSlug(trx, slugOf(app.company_name)));
          if (opts.slug && (await partnerIdOfSlug(trx, slug)) !== undefined) throw new Conflict(`The slug ${slug} is taken.`);
          const apiKey = newSecret('apiKey');
          const partner = await insertPartner(trx, {
            name: app.company_name,
            slug,
            contact_name: app.contact_name,
            contact_email: app.email,
            phone: app.phone,
            api_key_hash: secretHash(apiKey),
            api_key_prefix: secretPrefix(apiKey),
          });
          const client = await newOauthClient(trx, partner.id, 'Default', ['partner-api', 'site-data:write']);
          const withClient = await updatePartner(trx, partner.id, { client_id: client.row.client_id });
          const userId = await insertPortalUser(trx, partner.id, { email: app.email, name: app.contact_name });
          const setPasswordUrl = await issuePasswordLink(trx, urls.publicUrl, userId, slug);
          // The status check above raced nobody: this update only succeeds from pending.
          const decided = await decideApplication(trx, id, { status: 'approved', partner_id: partner.id, decided_by: actor.id, decided_at: new Date().toISOString() });
          if (!decided) throw new InvalidState(`Application ${id} was decided meanwhile.`);
          await enqueueEmail(trx, {
            to: app.email,
            subject: 'Your Parley partner account is ready',
            body: `Hello ${app.contact_name},\n\n${app.company_name} is now a Parley partner. Set your portal password here (the link works once, for 72 hours):\n${setPasswordUrl}\n\nYour white-label host: https://${hostOf(slug, urls.baseDomain)}\n`,
          });
          const view = await presentPartner(trx, withClient, urls);
          await audit(trx, actor, { action: 'application.approved', partnerId: partner.id, target: `application:${id}`, before: presentApplication(app), after: view });
          emit({ name: 'partner.approved', siteId: null, partnerId: partner.id, applicationId: id, slug });
          return {
            application: presentApplication(decided),
            partner: view,
            credentials: { apiKey, clientId: client.row.client_id, clientSecret: client.secret },
            portalUser: { id: userId, email: app.email, setPasswordUrl },
          };
        })
        .catch((err: unknown) => {
          // Two approvals raced for the same slug or contact e-mail: the second one is refused.
          if (isUniqueViolation(err)) throw new Conflict('Another approval took the same slug or e-mail meanwhile; try again.');
          throw err;
        });
      void mailer.kick();
      return result;
    },

    async reject(id, actor, reason) {
      const view = await events.transaction(async (trx, emit) => {
        const before = await findApplication(trx, id);
        if (!before) throw new NotFound('application', id);
        const row = await decideApplication(trx, id, { status: 'rejected', reason, decided_by: actor.id, decided_at: new Date().toISOString() });
        if (!row) throw new InvalidState(`Application ${id} is already ${before.status}.`);
        await enqueueEmail(trx, { to: row.email, subject: 'Your Parley partner application', body: `Hello ${row.contact_name},\n\nWe cannot accept ${row.company_name} as a partner now:\n${reason}\n` });
        await audit(trx, actor, { action: 'application.rejected', partnerId: null, target: `application:${id}`, before: presentApplication(before), after: presentApplication(row) });
        emit({ name: 'partner.rejected', siteId: null, applicationId: id });
        return presentApplication(row);
      });
      void mailer.kick();
      return view;
    },
  };
}
