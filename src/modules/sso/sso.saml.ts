// Parley as a SAML 2.0 service provider, on @node-saml/node-saml, with the checks that library
// leaves to its caller: Destination, Recipient and Issuer at the ACS, signed logout requests only,
// one use per request and assertion, size caps, no DOCTYPE, and certificates taken from the
// partner the request was started for.
import { randomBytes } from 'node:crypto';
import { type CacheProvider, type Profile, SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { Element } from '@xmldom/xmldom';
import type { Kysely, Selectable } from 'kysely';
import { seal, unseal } from '../../platform/crypto/seal.ts';
import { createSelfSigned } from './certificates.ts';
import type { IdentityService } from '../identity/index.ts';
import { consumeSsoRequest, findSsoRequest, insertSsoRequest, recordUsedId } from './sso.repository.ts';
import {
  ALLOWED_SIG_ALGS,
  ASSERTION,
  BEARER,
  children,
  decodePosted,
  decodeRedirect,
  PROTOCOL,
  parseUntrustedXml,
  refused,
  SAML_REQUEST_TTL_MS,
  SAML_SKEW_MS,
  SUCCESS,
  signedAsSent,
  text,
} from './sso.saml.messages.ts';
import type { SamlConfig } from './sso.settings.ts';
import type { SsoRequestsTable, SsoTables } from './sso.tables.ts';

/** Parley's SAML signing key and certificate, made once and shared by every node. */
interface SpCredentials {
  key: string;
  cert: string;
}

async function makeSpCredentials(): Promise<SpCredentials> {
  const notBefore = new Date(Date.now() - 24 * 3600_000);
  const made = await createSelfSigned({ commonName: 'Parley SAML service provider', notBefore, notAfter: new Date(notBefore.getTime() + 20 * 365 * 24 * 3600_000) });
  return { key: made.keyPem, cert: made.certPem };
}

interface Deps {
  db: Kysely<SsoTables>;
  publicUrl: string;
  /** Seals the SP private key at rest. */
  sealKey: string;
  /** Keeps Parley's SAML key pair, made by the first node that needs it, in the server settings. */
  identity: Pick<IdentityService, 'serverSetting'>;
}

/** A validated sign-in: who, for which request, and until when the IdP allows the session. */
export interface SamlLogin {
  requestId: string;
  partnerId: number;
  siteId: number;
  returnTo: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
  email: string | null;
  name: string | null;
  sessionNotOnOrAfter: number | null;
  /** When the IdP says it issued the assertion (ms), for telling a test of clock skew. */
  issuedAt: number | null;
}

/** A posted Response and the pending request it names, not yet verified. */
export interface AnsweredResponse {
  b64: string;
  root: Element;
  req: Selectable<SsoRequestsTable>;
}

/** The service provider. */
export function createSamlServiceProvider({ db, publicUrl, sealKey, identity }: Deps) {
  let credentials: Promise<SpCredentials> | undefined;

  async function loadCredentials(): Promise<SpCredentials> {
    // Another node may have made them first: the stored pair is the one every node uses.
    const value = await identity.serverSetting('saml_sp_credentials', async () => {
      const made = await makeSpCredentials();
      return JSON.stringify({ key: seal(sealKey, made.key), cert: made.cert });
    });
    const stored = JSON.parse(value) as { key: string; cert: string };
    return { key: unseal(sealKey, stored.key), cert: stored.cert };
  }
  const sp = () => {
    credentials ??= loadCredentials().catch((err: unknown) => {
      credentials = undefined;
      throw err;
    });
    return credentials;
  };

  const newId = () => `_${randomBytes(20).toString('hex')}`;
  const entityId = (partnerId: number) => `${publicUrl}/sso/saml/metadata/${partnerId}`;
  const noCache: CacheProvider = { saveAsync: async () => null, getAsync: async () => null, removeAsync: async () => null };

  async function samlOf(partner: SamlConfig, origin: string, cacheProvider: CacheProvider = noCache, requestId?: string): Promise<SAML> {
    const { key, cert } = await sp();
    return new SAML({
      issuer: entityId(partner.partnerId),
      audience: entityId(partner.partnerId),
      callbackUrl: `${origin}/sso/saml/acs`,
      logoutCallbackUrl: `${origin}/sso/saml/logout`,
      entryPoint: partner.loginUrl,
      logoutUrl: partner.logoutUrl ?? partner.loginUrl,
      idpCert: partner.pems,
      idpIssuer: partner.idpEntityId,
      privateKey: key,
      publicCert: cert,
      signatureAlgorithm: 'sha256',
      digestAlgorithm: 'sha256',
      authnRequestBinding: 'HTTP-Redirect',
      // Either the Response or the Assertion must carry a valid signature of the partner's IdP.
      wantAssertionsSigned: false,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: SAML_REQUEST_TTL_MS,
      cacheProvider,
      acceptedClockSkewMs: SAML_SKEW_MS,
      maxAssertionAgeMs: SAML_REQUEST_TTL_MS,
      identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      disableRequestedAuthnContext: true,
      providerName: 'Parley',
      generateUniqueId: () => requestId ?? newId(),
    });
  }

  /** The SAML root of a posted logout message and its issuer (unverified, to find the partner). */
  function issuerOf(root: Element): string | null {
    return text(children(root, ASSERTION, 'Issuer')[0]);
  }

  return {
    entityId,

    /** Parley's SP certificate (PEM), for partners' IdPs. */
    async certificate(): Promise<string> {
      return (await sp()).cert;
    },

    /** SP metadata for one partner, with the ACS and logout URLs on the origin asked from. */
    async metadata(partner: SamlConfig, origin: string): Promise<string> {
      const saml = await samlOf(partner, origin);
      return saml.generateServiceProviderMetadata(null, (await sp()).cert);
    },

    /**
     * Starts a sign-in: stores the request and returns the IdP URL to send the browser to. The
     * RelayState is the request's id (SAML allows 80 bytes; the return address stays with Parley).
     */
    async loginUrl(partner: SamlConfig, siteId: number, origin: string, returnTo: string): Promise<string> {
      const id = newId();
      const cacheProvider: CacheProvider = {
        saveAsync: async (id) => {
          await insertSsoRequest(db, { id, partner_id: partner.partnerId, site_id: siteId, acs_url: `${origin}/sso/saml/acs`, return_to: returnTo, expires_at: new Date(Date.now() + SAML_REQUEST_TTL_MS).toISOString() });
          return null;
        },
        getAsync: async () => null,
        removeAsync: async () => null,
      };
      return signedAsSent(await (await samlOf(partner, origin, cacheProvider, id)).getAuthorizeUrlAsync(id, undefined, {}), (await sp()).key);
    },

    /**
     * The pending request a posted Response names (InResponseTo), read before anything in it is
     * trusted: it says which partner's settings check the Response, and whether it is a test
     * sign-in. Unsolicited Responses and unknown, used or expired requests are refused.
     */
    async answered(b64: string): Promise<AnsweredResponse> {
      const xml = decodePosted(b64);
      const root = parseUntrustedXml(xml);
      if (root.namespaceURI !== PROTOCOL || root.localName !== 'Response') throw refused('it is not a SAML Response');
      const inResponseTo = root.getAttribute('InResponseTo');
      if (!inResponseTo) throw refused('it answers no request of Parley (unsolicited responses are not accepted)');
      const req = await findSsoRequest(db, inResponseTo);
      if (!req || req.consumed_at || Date.parse(req.expires_at) <= Date.now()) throw refused('it answers no pending sign-in (unknown, used or expired InResponseTo)');
      return { b64, root, req };
    },

    /**
     * Validates a posted Response (read by `answered`) for the request it names, at the ACS URL it
     * was sent to; the request is used up. `config` gives the SAML settings of the request's partner.
     */
    async acs(answer: AnsweredResponse, origin: string, config: (partnerId: number) => Promise<SamlConfig | null>): Promise<SamlLogin> {
      const { b64, root, req } = answer;
      const acsUrl = `${origin}/sso/saml/acs`;
      if (req.acs_url !== acsUrl) throw refused('it was posted to another address than the request asked for');
      if (root.getAttribute('Destination') !== acsUrl) throw refused('its Destination is not this ACS');
      const partner = await config(req.partner_id);
      if (!partner) throw refused('the partner no longer uses SAML');
      // node-saml reads the status only when there is no assertion, and counts only assertions
      // directly under the Response: anything else is refused here.
      const status = children(root, PROTOCOL, 'Status')[0];
      const code = status ? children(status, PROTOCOL, 'StatusCode')[0]?.getAttribute('Value') : null;
      if (code !== SUCCESS) throw refused(`the IdP answered ${code ? code.replace(/.*:/, '') : 'with no status'}`);
      const everywhere = ['Assertion', 'EncryptedAssertion'].flatMap((n) => Array.from(root.getElementsByTagNameNS(ASSERTION, n)));
      const direct = children(root, ASSERTION, 'Assertion').length + children(root, ASSERTION, 'EncryptedAssertion').length;
      if (everywhere.length !== 1 || direct !== 1) throw refused('it must hold exactly one assertion, directly in the Response');
      const responseIssuer = text(children(root, ASSERTION, 'Issuer')[0]);
      if (responseIssuer !== null && responseIssuer !== partner.idpEntityId) throw refused('its Issuer is not the partner’s IdP');

      // Only the request this Response names counts as outstanding.
      const cacheProvider: CacheProvider = {
        saveAsync: async () => null,
        getAsync: async (id) => (id === req.id ? new Date(req.created_at).toISOString() : null),
        removeAsync: async () => null,
      };
      let profile: Profile | null;
      try {
        ({ profile } = await (await samlOf(partner, origin, cacheProvider)).validatePostResponseAsync({ SAMLResponse: b64 }));
      } catch (err) {
        throw refused((err as Error).message.slice(0, 200));
      }
      if (!profile) throw refused('it carries no assertion');

      // The library read the profile from the signed assertion; check what it does not.
      const assertion = parseUntrustedXml(profile.getAssertionXml!());
      if (text(children(assertion, ASSERTION, 'Issuer')[0]) !== partner.idpEntityId) throw refused('the assertion’s Issuer is not the partner’s IdP');
      const subject = children(assertion, ASSERTION, 'Subject')[0];
      const bearer = subject ? children(subject, ASSERTION, 'SubjectConfirmation').filter((c) => c.getAttribute('Method') === BEARER) : [];
      const data = bearer.flatMap((c) => children(c, ASSERTION, 'SubjectConfirmationData'));
      if (data.length === 0 || !data.every((d) => d.getAttribute('Recipient') === acsUrl)) throw refused('its SubjectConfirmation Recipient is not this ACS');
      if (data.some((d) => d.hasAttribute('InResponseTo') && d.getAttribute('InResponseTo') !== req.id)) throw refused('its SubjectConfirmation answers another request');
      const assertionId = assertion.getAttribute('ID');
      if (!assertionId) throw refused('the assertion has no ID');
      const conditions = children(assertion, ASSERTION, 'Conditions')[0];
      const until = Date.parse(conditions?.getAttribute('NotOnOrAfter') ?? '') || Date.now() + SAML_REQUEST_TTL_MS;

      // One use: of the assertion, and of the request (two racing posts: one wins).
      const used = await recordUsedId(db, { partner_id: partner.partnerId, kind: 'saml', value: assertionId, expires_at: new Date(Math.max(until, Date.now()) + SAML_SKEW_MS).toISOString() });
      if (!used) throw refused('this assertion was already used');
      if (!(await consumeSsoRequest(db, req.id))) throw refused('this sign-in was already completed');

      const attr = (name: string) => {
        const v = (profile.attributes as Record<string, unknown> | undefined)?.[name];
        return typeof v === 'string' ? v.trim() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].trim() : null;
      };
      const authn = children(assertion, ASSERTION, 'AuthnStatement')[0];
      const sessionEnd = Date.parse(authn?.getAttribute('SessionNotOnOrAfter') ?? '');
      const issuedAt = Date.parse(assertion.getAttribute('IssueInstant') ?? '');
      return {
        requestId: req.id,
        partnerId: partner.partnerId,
        siteId: req.site_id,
        returnTo: req.return_to,
        nameId: profile.nameID,
        nameIdFormat: profile.nameIDFormat ?? null,
        sessionIndex: profile.sessionIndex ?? null,
        email: attr('email') ?? attr('mail') ?? attr('urn:oid:0.9.2342.19200300.100.1.3'),
        name: attr('name') ?? attr('displayName') ?? attr('urn:oid:2.16.840.1.113730.3.1.241'),
        sessionNotOnOrAfter: Number.isFinite(sessionEnd) ? sessionEnd : null,
        issuedAt: Number.isFinite(issuedAt) ? issuedAt : null,
      };
    },

    /**
     * Reads an IdP's logout request (redirect binding: signed query; POST binding: signed XML),
     * trying the partners that may have sent it; returns the partner and whom to log out.
     */
    async logoutRequest(
      message: { query?: { SAMLRequest: string; RelayState?: string | undefined; SigAlg?: string | undefined; Signature?: string | undefined }; rawQuery?: string; posted?: string },
      origin: string,
      candidates: (issuer: string) => Promise<SamlConfig[]>,
    ): Promise<{ partners: SamlConfig[]; profile: Profile }> {
      const xml = message.query ? decodeRedirect(message.query.SAMLRequest) : decodePosted(message.posted!);
      const root = parseUntrustedXml(xml);
      if (root.namespaceURI !== PROTOCOL || root.localName !== 'LogoutRequest') throw refused('it is not a LogoutRequest');
      if (message.query) {
        if (!message.query.Signature || !message.query.SigAlg) throw refused('logout requests must be signed');
        if (!ALLOWED_SIG_ALGS.has(message.query.SigAlg)) throw refused(`the signature algorithm ${message.query.SigAlg.slice(0, 80)} is not accepted`);
      }
      const destination = root.getAttribute('Destination');
      if (destination && destination !== `${origin}/sso/saml/logout`) throw refused('its Destination is not this logout address');
      const issuer = issuerOf(root);
      if (!issuer) throw refused('it names no Issuer');
      const id = root.getAttribute('ID');
      if (!id) throw refused('it has no ID');
      // Fresh only (the library checks no IssueInstant), and each id once while it is fresh.
      const issued = Date.parse(root.getAttribute('IssueInstant') ?? '');
      if (!Number.isFinite(issued) || Math.abs(Date.now() - issued) > SAML_REQUEST_TTL_MS) throw refused('its IssueInstant is missing or not recent');
      // Every partner whose IdP it verifies for (several may share an IdP) logs the NameID out.
      let lastError = 'no partner uses this IdP';
      const verified: SamlConfig[] = [];
      let profile: Profile | null = null;
      for (const partner of await candidates(issuer)) {
        try {
          const saml = await samlOf(partner, origin);
          const result = message.query
            ? await saml.validateRedirectAsync(message.query, message.rawQuery!)
            : await saml.validatePostRequestAsync({ SAMLRequest: message.posted! });
          if (!result.profile) continue;
          const used = await recordUsedId(db, { partner_id: partner.partnerId, kind: 'saml', value: `logout:${id}`, expires_at: new Date(issued + 2 * SAML_REQUEST_TTL_MS).toISOString() });
          if (!used) throw refused('this logout request was already used');
          verified.push(partner);
          profile = result.profile;
        } catch (err) {
          lastError = (err as Error).message.slice(0, 200);
        }
      }
      if (!profile) throw refused(lastError);
      return { partners: verified, profile };
    },

    /** The URL answering an IdP's logout request (a signed LogoutResponse), or null with no logout URL. */
    async logoutResponseUrl(partner: SamlConfig, origin: string, profile: Profile, relayState: string): Promise<string | null> {
      if (!partner.logoutUrl) return null;
      return signedAsSent(await (await samlOf(partner, origin)).getLogoutResponseUrlAsync(profile, relayState, {}, true), (await sp()).key);
    },

    /** The URL of an SP-initiated logout (a signed LogoutRequest), or null with no logout URL. */
    async logoutUrl(partner: SamlConfig, origin: string, who: { nameId: string; sessionIndex: string | null }, relayState: string): Promise<string | null> {
      if (!partner.logoutUrl) return null;
      const profile = { issuer: partner.idpEntityId, nameID: who.nameId, nameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified', ...(who.sessionIndex ? { sessionIndex: who.sessionIndex } : {}) };
      return signedAsSent(await (await samlOf(partner, origin)).getLogoutUrlAsync(profile, relayState, {}), (await sp()).key);
    },
  };
}

export type SamlServiceProvider = ReturnType<typeof createSamlServiceProvider>;
