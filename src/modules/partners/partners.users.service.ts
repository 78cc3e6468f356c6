// The partner portal's users: they set their password with a one-time link sent by e-mail (and
// ask for a new one when they forgot it), and log in with it (the caller issues the session). A
// suspended partner's users cannot log in.
import type { Kysely } from 'kysely';
import type { Dialect } from '../../platform/db/database.ts';
import { flag } from '../../platform/db/columns.ts';
import { NotFound, Unauthorized } from '../../platform/errors.ts';
import { hashPassword, verifyDecoy, verifyPassword } from '../identity/index.ts';
import {
  findPortalUser,
  insertLink,
  linksIssuedSince,
  lockPortalUser,
  portalLoginOf,
  portalUserByEmail,
  revokeTokens,
  setPortalPassword,
  spendLink,
  spendLinksOf,
} from './partners.access.repository.ts';
import { type Actor, audit } from './partners.audit.ts';
import { enqueueEmail, type Mailer } from './partners.mail.ts';
import { loadPartner } from './partners.presenter.ts';
import { newSecret, secretHash } from './partners.secrets.ts';
import type { PartnersTables } from './partners.tables.ts';

const LINK_TTL_MS = 72 * 3600_000;
/** A reset link is asked for by someone who is there to use it: it lasts an hour. */
const RESET_TTL_MS = 3600_000;
const PASSWORD_LINK = 'partner-password';
/** A user gets at most one new link in this time, and so many in a day, however often a reset is asked for. */
const RESET_INTERVAL_MS = 60_000;
const RESETS_PER_DAY = 5;

/** Portal users' passwords and logins. */
export interface PortalUsersService {
  /** Sets a portal user's password with a one-time link's token; the link is spent. */
  setPassword(token: string, password: string): Promise<{ email: string }>;
  /**
   * Checks a portal login; the caller issues the session. Suspended partners cannot log in, and on
   * a partner's white-label host (`hostPartnerId`) only that partner's users can.
   */
  checkPortalLogin(email: string, password: string, hostPartnerId?: number | null): Promise<{ userId: number; partnerId: number }>;
  /** A new set-password link for a portal user of the partner (sent by e-mail). */
  resendPasswordLink(partnerId: number, actor: Actor, userId: number): Promise<{ setPasswordUrl: string }>;
  /**
   * A forgotten password: e-mails the user with this address a new set-password link, if there is
   * one (on a partner's white-label host, `hostPartnerId`, only of that partner) whose partner is
   * not suspended, and no link went to it in the last minute (nor five in the last day). Says
   * nothing either way, so that no one learns which addresses have an account.
   */
  requestPasswordReset(email: string, actor: Actor, hostPartnerId?: number | null): Promise<void>;
  /**
   * requestPasswordReset after the caller has answered, so the answer's time does not tell whether
   * the address has an account; a failure goes to `onError`.
   */
  requestPasswordResetLater(email: string, actor: Actor, hostPartnerId: number | null, onError: (err: unknown) => void): void;
  /** Resolves once the resets asked for so far are done (before a shutdown, and in tests). */
  resetsSettled(): Promise<void>;
}

/**
 * Issues a one-time link for a portal user to set a password (in the caller's transaction); returns
 * its URL. The user's earlier links stop working: only the newest one e-mailed does.
 */
export async function issuePasswordLink(trx: Kysely<PartnersTables>, publicUrl: string, userId: number, slug: string, ttlMs = LINK_TTL_MS): Promise<string> {
  const token = newSecret('link');
  await spendLinksOf(trx, PASSWORD_LINK, userId);
  await insertLink(trx, { token_hash: secretHash(token), purpose: PASSWORD_LINK, subject_id: userId, expires_at: new Date(Date.now() + ttlMs).toISOString() });
  // The token travels in the fragment, so it never reaches a server log.
  return `${publicUrl}/partner/set-password?partner=${slug}#token=${token}`;
}

/** Portal users over the database. */
export function createPortalUsersService({ db, dialect, mailer, publicUrl }: { db: Kysely<PartnersTables>; dialect: Dialect; mailer: Mailer; publicUrl: string }): PortalUsersService {
  const pendingResets = new Set<Promise<void>>();
  const service: PortalUsersService = {
    async setPassword(token, password) {
      return db.transaction().execute(async (trx) => {
        const userId = await spendLink(trx, secretHash(token), PASSWORD_LINK);
        if (userId === undefined) throw new Unauthorized('This link is not valid: it was used already, it expired, a newer one was sent, or it was never issued.');
        await spendLinksOf(trx, PASSWORD_LINK, userId);
        const user = await setPortalPassword(trx, userId, await hashPassword(password));
        await revokeTokens(trx, user.partner_id, { userId });
        await audit(trx, { kind: 'partner', id: userId }, { action: 'partnerUser.passwordSet', partnerId: user.partner_id, target: `partnerUser:${userId}` });
        return { email: user.email };
      });
    },

    async checkPortalLogin(email, password, hostPartnerId = null) {
      const user = await portalLoginOf(db, email.toLowerCase());
      const ok = user?.password_hash ? await verifyPassword(password, user.password_hash) : await verifyDecoy(password);
      if (!user || !ok || (hostPartnerId !== null && user.partner_id !== hostPartnerId)) throw new Unauthorized('Wrong e-mail or password.');
      if (!flag(user.is_active) || !flag(user.partner_active)) throw new Unauthorized('This partner account is suspended.');
      return { userId: user.id, partnerId: user.partner_id };
    },

    async resendPasswordLink(partnerId, actor, userId) {
      const out = await db.transaction().execute(async (trx) => {
        const user = await findPortalUser(trx, partnerId, userId);
        if (!user) throw new NotFound('partner user', userId);
        const slug = (await loadPartner(trx, partnerId)).slug;
        const setPasswordUrl = await issuePasswordLink(trx, publicUrl, userId, slug);
        await enqueueEmail(trx, { to: user.email, subject: 'Set your Parley partner-portal password', body: `Hello ${user.name},\n\nSet your password here (the link works once, for 72 hours):\n${setPasswordUrl}\n` });
        await audit(trx, actor, { action: 'partnerUser.passwordLinkSent', partnerId, target: `partnerUser:${userId}` });
        return { setPasswordUrl };
      });
      void mailer.kick();
      return out;
    },

    async requestPasswordReset(email, actor, hostPartnerId = null) {
      const sent = await db.transaction().execute(async (trx) => {
        const user = await portalUserByEmail(trx, email.toLowerCase());
        if (!user || (hostPartnerId !== null && user.partner_id !== hostPartnerId)) return false;
        if (!flag(user.is_active) || !flag(user.partner_active)) return false;
        // Concurrent requests for one user queue here, so only the first of them sends a link.
        await lockPortalUser(trx, dialect, user.id);
        const since = (ms: number) => new Date(Date.now() - ms).toISOString();
        if ((await linksIssuedSince(trx, PASSWORD_LINK, user.id, since(RESET_INTERVAL_MS))) > 0) return false;
        if ((await linksIssuedSince(trx, PASSWORD_LINK, user.id, since(24 * 3600_000))) >= RESETS_PER_DAY) return false;
        const setPasswordUrl = await issuePasswordLink(trx, publicUrl, user.id, user.slug, RESET_TTL_MS);
        await enqueueEmail(trx, {
          to: user.email,
          subject: 'Reset your Parley partner-portal password',
          body: `Hello ${user.name},\n\nSomeone (we hope you) asked to reset your Parley partner-portal password. Set a new one here (the link works once, for an hour; earlier links no longer work):\n${setPasswordUrl}\n\nIf it was not you, ignore this e-mail: your password stays as it is.\n`,
        });
        await audit(trx, actor, { action: 'partnerUser.passwordResetSent', partnerId: user.partner_id, target: `partnerUser:${user.id}` });
        return true;
      });
      if (sent) void mailer.kick();
    },

    requestPasswordResetLater(email, actor, hostPartnerId, onError) {
      const run = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => service.requestPasswordReset(email, actor, hostPartnerId))
        .catch(onError)
        .finally(() => pendingResets.delete(run));
      pendingResets.add(run);
    },

    async resetsSettled() {
      await Promise.all([...pendingResets]);
    },
  };
  return service;
}
