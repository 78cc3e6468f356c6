// The partner portal's users: they set their password with a one-time link sent by e-mail, and
// log in with it (the caller issues the session). A suspended partner's users cannot log in.
import type { Kysely } from 'kysely';
import { flag } from '../../platform/db/columns.ts';
import { NotFound, Unauthorized } from '../../platform/errors.ts';
import { hashPassword, verifyDecoy, verifyPassword } from '../identity/index.ts';
import { findPortalUser, insertLink, portalLoginOf, revokeTokens, setPortalPassword, spendLink } from './partners.access.repository.ts';
import { type Actor, audit } from './partners.audit.ts';
import { enqueueEmail, type Mailer } from './partners.mail.ts';
import { loadPartner } from './partners.presenter.ts';
import { newSecret, secretHash } from './partners.secrets.ts';
import type { PartnersTables } from './partners.tables.ts';

const LINK_TTL_MS = 72 * 3600_000;
const PASSWORD_LINK = 'partner-password';

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
}

/** Issues a one-time link for a portal user to set a password (in the caller's transaction); returns its URL. */
export async function issuePasswordLink(trx: Kysely<PartnersTables>, publicUrl: string, userId: number, slug: string): Promise<string> {
  const token = newSecret('link');
  await insertLink(trx, { token_hash: secretHash(token), purpose: PASSWORD_LINK, subject_id: userId, expires_at: new Date(Date.now() + LINK_TTL_MS).toISOString() });
  // The token travels in the fragment, so it never reaches a server log.
  return `${publicUrl}/portal/set-password?partner=${slug}#token=${token}`;
}

/** Portal users over the database. */
export function createPortalUsersService({ db, mailer, publicUrl }: { db: Kysely<PartnersTables>; mailer: Mailer; publicUrl: string }): PortalUsersService {
  return {
    async setPassword(token, password) {
      return db.transaction().execute(async (trx) => {
        const userId = await spendLink(trx, secretHash(token), PASSWORD_LINK);
        if (userId === undefined) throw new Unauthorized('This link is not valid: it was used already, it expired, or it was never issued.');
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
  };
}
