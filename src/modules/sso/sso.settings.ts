// A partner's single sign-on settings: SAML (IdP login and logout URLs, entity id, signing
// certificates) and JWT (login and logout URLs, the HS256 secret), which one is primary, and
// whether unknown agents are created at their first sign-in.
import { randomBytes, X509Certificate } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { seal, unseal } from '../../platform/crypto/seal.ts';
import { flag } from '../../platform/db/columns.ts';
import { BadRequest, NotFound } from '../../platform/errors.ts';
import type { Actor, AuditTables, PartnersDoor } from '../partners/index.ts';
import { type CertRow, certsOf, deleteSso, replaceCerts, setJwtSecret, setPrimaryFlag, type SsoRow, ssoRowOf, ssoRowsOf, type SsoType, upsertSso } from './sso.repository.ts';
import type { SsoTables } from './sso.tables.ts';

export type { SsoType } from './sso.repository.ts';

export interface CertificateView {
  fingerprint: string;
  subject: string;
  notAfter: string;
}

export interface SamlSettings {
  loginUrl: string;
  logoutUrl: string | null;
  idpEntityId: string;
  certificates: CertificateView[];
  jitProvisioning: boolean;
}

export interface JwtSettings {
  loginUrl: string;
  logoutUrl: string | null;
  jitProvisioning: boolean;
  secretRotatedAt: string | null;
}

export interface SsoSettings {
  saml: SamlSettings | null;
  jwt: JwtSettings | null;
  primarySSO: SsoType | null;
}

/** What the SAML service provider needs of a partner at sign-in. */
export interface SamlConfig extends SamlSettings {
  partnerId: number;
  pems: string[];
}

export interface JwtConfig extends JwtSettings {
  partnerId: number;
  /** The HS256 key: the UTF-8 bytes of the secret string. */
  key: Uint8Array;
}

/** At most this many IdP certificates per partner (a rotation needs two). */
export const MAX_CERTIFICATES = 5;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An IdP URL: https (plain http only on this machine, for development), no credentials. */
export function checkIdpUrl(raw: string, field: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BadRequest(`${field} is not an absolute URL.`, { field });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new BadRequest(`${field} must be an https URL.`, { field });
  }
  if (url.username || url.password) throw new BadRequest(`${field} must not carry a user name or password.`, { field });
  if (url.hash) throw new BadRequest(`${field} must not have a fragment.`, { field });
  return url.toString();
}

/** Parses a certificate given as PEM or as the bare base64 of its DER (as IdP metadata has it). */
export function parseCertificate(raw: string): { pem: string; view: CertificateView } {
  if (/PRIVATE KEY/.test(raw)) throw new BadRequest('That is a private key. Send the IdP certificate only, and replace that key: it has left its owner.');
  const body = raw.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(body)) throw new BadRequest('A certificate must be PEM or base64 DER.');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(body, 'base64'));
  } catch {
    throw new BadRequest('The certificate could not be read as X.509.');
  }
  if (cert.publicKey.asymmetricKeyType !== 'rsa' && cert.publicKey.asymmetricKeyType !== 'ec') {
    throw new BadRequest(`The certificate's key type (${cert.publicKey.asymmetricKeyType}) is not used for SAML signatures; RSA or EC keys are.`);
  }
  const notAfter = new Date(cert.validTo).toISOString();
  if (Date.parse(notAfter) <= Date.now()) throw new BadRequest(`The certificate expired on ${notAfter}.`);
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  return { pem, view: { fingerprint: cert.fingerprint256, subject: cert.subject.replace(/\n/g, ', '), notAfter } };
}

/** A new JWT signing secret: 256 random bits, prefixed so a leaked one is recognisable. */
const newJwtSecret = () => `pjs_${randomBytes(32).toString('base64url')}`;

interface Deps {
  /** sso's tables, and the partners' audit log that a change is recorded in (in its transaction). */
  db: Kysely<SsoTables & AuditTables>;
  /** Seals JWT secrets at rest. */
  sealKey: string;
  /** The partners' door: whether a partner exists, and its audit log. */
  partners: Pick<PartnersDoor, 'exists' | 'audit'>;
}

/** The settings store. */
export function createSsoSettings({ db, sealKey, partners }: Deps) {
  type Db = Kysely<SsoTables> | Transaction<SsoTables>;

  async function requirePartner(partnerId: number): Promise<void> {
    if (!(await partners.exists(partnerId))) throw new NotFound('partner', partnerId);
  }

  async function rows(q: Db, partnerId: number): Promise<{ saml: SsoRow | undefined; jwt: SsoRow | undefined; certs: CertRow[] }> {
    const sso = await ssoRowsOf(q, partnerId);
    const certs = await certsOf(q, partnerId);
    return { saml: sso.find((r) => r.sso_type === 'SAML'), jwt: sso.find((r) => r.sso_type === 'JWT'), certs };
  }

  async function read(q: Db, partnerId: number): Promise<SsoSettings> {
    return present(await rows(q, partnerId));
  }

  function present({ saml, jwt, certs }: Awaited<ReturnType<typeof rows>>): SsoSettings {
    const primary = [saml, jwt].find((r) => r && flag(r.is_primary_sso)) ?? saml ?? jwt;
    return {
      saml: saml
        ? {
            loginUrl: saml.login_url!,
            logoutUrl: saml.logout_url,
            idpEntityId: saml.idp_entity_id!,
            certificates: certs.map((c) => ({ fingerprint: c.fingerprint, subject: c.subject, notAfter: c.not_after })),
            jitProvisioning: flag(saml.jit_provisioning),
          }
        : null,
      jwt: jwt ? { loginUrl: jwt.login_url!, logoutUrl: jwt.logout_url, jitProvisioning: flag(jwt.jit_provisioning), secretRotatedAt: jwt.secret_rotated_at } : null,
      primarySSO: primary?.sso_type ?? null,
    };
  }

  // With one kind set, it is primary; with both, the one marked (or else SAML).
  async function settle(trx: Db, partnerId: number, prefer?: SsoType): Promise<void> {
    const { saml, jwt } = await rows(trx, partnerId);
    const current = [saml, jwt].find((r) => r && flag(r.is_primary_sso))?.sso_type;
    const primary = prefer && (prefer === 'SAML' ? saml : jwt) ? prefer : current ?? (saml ? 'SAML' : jwt ? 'JWT' : undefined);
    for (const r of [saml, jwt]) {
      if (r) await setPrimaryFlag(trx, r.id, r.sso_type === primary);
    }
  }

  return {
    /** The partner's settings. */
    async get(partnerId: number): Promise<SsoSettings> {
      await requirePartner(partnerId);
      return read(db, partnerId);
    },

    /** Sets the SAML settings; the certificates given replace the ones held (none given: they stay). */
    async putSaml(
      partnerId: number,
      actor: Actor,
      input: { loginUrl: string; logoutUrl?: string | null | undefined; idpEntityId: string; certificates?: string[] | undefined; jitProvisioning?: boolean | undefined },
    ): Promise<SsoSettings> {
      const loginUrl = checkIdpUrl(input.loginUrl, 'loginUrl');
      const logoutUrl = input.logoutUrl ? checkIdpUrl(input.logoutUrl, 'logoutUrl') : null;
      const certs = input.certificates?.map(parseCertificate);
      if (certs && new Set(certs.map((c) => c.view.fingerprint)).size !== certs.length) throw new BadRequest('The same certificate is listed twice.');
      await requirePartner(partnerId);
      return db.transaction().execute(async (trx) => {
        const before = await read(trx, partnerId);
        // Without certificates, the ones held stay (a change of URLs needs no new paste); the first set-up needs one.
        if (!certs && !before.saml) {
          throw new BadRequest('Give the IdP’s signing certificate: SAML is not set up yet.', { errors: [{ path: '/certificates', message: 'required at the first set-up' }] });
        }
        await upsertSso(trx, partnerId, 'SAML', { login_url: loginUrl, logout_url: logoutUrl, idp_entity_id: input.idpEntityId.trim(), jit_provisioning: input.jitProvisioning ?? false });
        if (certs) await replaceCerts(trx, partnerId, certs.map((c) => ({ pem: c.pem, ...c.view })));
        await settle(trx, partnerId);
        const after = await read(trx, partnerId);
        await partners.audit(trx, actor, { action: 'sso.saml.updated', partnerId, target: `partner:${partnerId}`, before: before.saml, after: after.saml });
        return after;
      });
    },

    /** Sets the JWT settings; the first time, a secret is made and returned (only then). */
    async putJwt(
      partnerId: number,
      actor: Actor,
      input: { loginUrl: string; logoutUrl?: string | null | undefined; jitProvisioning?: boolean | undefined },
    ): Promise<SsoSettings & { secret?: string }> {
      const loginUrl = checkIdpUrl(input.loginUrl, 'loginUrl');
      const logoutUrl = input.logoutUrl ? checkIdpUrl(input.logoutUrl, 'logoutUrl') : null;
      await requirePartner(partnerId);
      return db.transaction().execute(async (trx) => {
        const before = await read(trx, partnerId);
        await upsertSso(trx, partnerId, 'JWT', { login_url: loginUrl, logout_url: logoutUrl, jit_provisioning: input.jitProvisioning ?? false });
        let secret: string | undefined;
        if (!before.jwt) {
          secret = newJwtSecret();
          await setJwtSecret(trx, partnerId, seal(sealKey, secret), new Date().toISOString());
        }
        await settle(trx, partnerId);
        const after = await read(trx, partnerId);
        await partners.audit(trx, actor, { action: 'sso.jwt.updated', partnerId, target: `partner:${partnerId}`, before: before.jwt, after: after.jwt });
        return secret ? { ...after, secret } : after;
      });
    },

    /** Replaces the JWT secret; tokens signed with the old one stop working at once. */
    async rotateJwtSecret(partnerId: number, actor: Actor): Promise<{ secret: string; secretRotatedAt: string }> {
      await requirePartner(partnerId);
      const secret = newJwtSecret();
      const at = new Date().toISOString();
      return db.transaction().execute(async (trx) => {
        if (!(await setJwtSecret(trx, partnerId, seal(sealKey, secret), at))) throw new NotFound('JWT sign-on settings of partner', partnerId);
        await partners.audit(trx, actor, { action: 'sso.jwt.secret-rotated', partnerId, target: `partner:${partnerId}` });
        return { secret, secretRotatedAt: at };
      });
    },

    /** Removes one kind of sign-on; the other, if set, becomes primary. */
    async remove(partnerId: number, actor: Actor, type: SsoType): Promise<void> {
      await requirePartner(partnerId);
      await db.transaction().execute(async (trx) => {
        if (!(await deleteSso(trx, partnerId, type))) throw new NotFound(`${type} sign-on settings of partner`, partnerId);
        if (type === 'SAML') await replaceCerts(trx, partnerId, []);
        await settle(trx, partnerId);
        await partners.audit(trx, actor, { action: `sso.${type.toLowerCase()}.removed`, partnerId, target: `partner:${partnerId}` });
      });
    },

    /** Chooses where an agent who is not signed in is sent when both kinds are set. */
    async setPrimary(partnerId: number, actor: Actor, type: SsoType): Promise<SsoSettings> {
      await requirePartner(partnerId);
      return db.transaction().execute(async (trx) => {
        const { saml, jwt } = await rows(trx, partnerId);
        if (!(type === 'SAML' ? saml : jwt)) throw new BadRequest(`${type} sign-on is not set up for this partner; set it up first.`);
        await settle(trx, partnerId, type);
        await partners.audit(trx, actor, { action: 'sso.primary-changed', partnerId, target: `partner:${partnerId}`, after: { primarySSO: type } });
        return read(trx, partnerId);
      });
    },

    /** The SAML settings with certificates, for signing in (null: not set up). */
    async saml(partnerId: number): Promise<SamlConfig | null> {
      const found = await rows(db, partnerId);
      const view = present(found).saml;
      return view && { ...view, partnerId, pems: found.certs.map((c) => c.pem) };
    },

    /** The JWT settings with the key, for signing in (null: not set up). */
    async jwt(partnerId: number): Promise<JwtConfig | null> {
      const row = await ssoRowOf(db, partnerId, 'JWT');
      if (!row?.secret_sealed) return null;
      return {
        partnerId,
        loginUrl: row.login_url!,
        logoutUrl: row.logout_url,
        jitProvisioning: flag(row.jit_provisioning),
        secretRotatedAt: row.secret_rotated_at,
        key: new TextEncoder().encode(unseal(sealKey, row.secret_sealed)),
      };
    },

    /** The partner's primary sign-on, if any. */
    async primary(partnerId: number): Promise<SsoType | null> {
      return (await read(db, partnerId)).primarySSO;
    },
  };
}

export type SsoSettingsStore = ReturnType<typeof createSsoSettings>;
