// The sso module's tables, as Kysely sees them. Only this module's repositories query them;
// other modules go through modules/sso/index.ts.
import type { CreatedAt, Flag, Id, Timestamp } from '../../platform/db/columns.ts';

export interface PartnerSsoTable {
  id: Id;
  partner_id: number;
  sso_type: 'SAML' | 'JWT';
  is_primary_sso: Flag;
  login_url: string | null;
  logout_url: string | null;
  cert: string | null;
  /** SAML: the IdP's entity id, which a Response's Issuer must equal. */
  idp_entity_id: string | null;
  /** Whether a first sign-in of an unknown agent creates it. */
  jit_provisioning: Flag;
  /** JWT: the HS256 secret, sealed (see platform/crypto/seal.ts). */
  secret_sealed: string | null;
  secret_rotated_at: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** A partner's SAML IdP signing certificates (several during a rotation). */
export interface PartnerSsoCertsTable {
  id: Id;
  partner_id: number;
  pem: string;
  /** SHA-256 of the DER, hex with colons. */
  fingerprint: string;
  subject: string;
  not_after: string;
  created_at: CreatedAt;
}

/** An AuthnRequest Parley sent; a Response must answer one, once. */
export interface SsoRequestsTable {
  id: string;
  partner_id: number;
  site_id: number;
  acs_url: string;
  return_to: string;
  created_at: CreatedAt;
  expires_at: string;
  consumed_at: string | null;
}

/** A SAML assertion id or JWT id already used. */
export interface SsoUsedIdsTable {
  partner_id: number;
  kind: 'saml' | 'jwt';
  value: string;
  expires_at: string;
}

// A type, not an interface: Kysely's withTables() wants an index signature.
export type SsoTables = {
  partner_sso: PartnerSsoTable;
  partner_sso_certs: PartnerSsoCertsTable;
  sso_requests: SsoRequestsTable;
  sso_used_ids: SsoUsedIdsTable;
};
