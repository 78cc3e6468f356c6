// The identity module's tables, as Kysely sees them. Only this module's repositories query them;
// other modules go through modules/identity/index.ts.
import type { ColumnType } from 'kysely';
import type { CreatedAt, Id, Timestamp } from '../../platform/db/columns.ts';

export interface PlatformUsersTable {
  id: Id;
  email: string;
  name: string;
  password_hash: string;
  role: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface AuthTokensTable {
  id: Id;
  token_hash: string;
  subject_kind: 'agent' | 'platform';
  subject_id: number;
  site_id: number | null;
  /** The login session this token belongs to; null when it started its own (its id is the session's). */
  session_id: number | null;
  created_at: CreatedAt;
  expires_at: string;
  revoked_at: string | null;
  /** How the session began (null: before single sign-on existed, i.e. a password). */
  login_method: ColumnType<LoginMethod | null, LoginMethod | null | undefined, LoginMethod | null>;
  sso_partner_id: ColumnType<number | null, number | null | undefined, number | null>;
  sso_name_id: ColumnType<string | null, string | null | undefined, string | null>;
  sso_session_index: ColumnType<string | null, string | null | undefined, string | null>;
}

export type LoginMethod = 'password' | 'saml' | 'jwt';

export interface ServerSettingsTable {
  key: string;
  value: string;
}

// A type, not an interface: Kysely's withTables() wants an index signature.
export type IdentityTables = {
  platform_users: PlatformUsersTable;
  auth_tokens: AuthTokensTable;
  server_settings: ServerSettingsTable;
};
