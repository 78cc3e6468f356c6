// A site's settings for the mobile app's WebView chat (docs/mobile-webview.md): its skills (the
// group that answers each, and the app's deep link) and how the app's Ssotoken is verified. Only
// agents with manageSettings (site admins hold it) read or change them; the WebView pages read
// them through byName() and verification().
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { requirePermission, requireSiteAdmin, type SiteContext } from '../../platform/context.ts';
import { seal, unseal } from '../../platform/crypto/seal.ts';
import { isUniqueViolation } from '../../platform/db/database.ts';
import { BadRequest, Conflict, NotFound } from '../../platform/errors.ts';
import {
  countSkills,
  deleteSkill,
  findSkill,
  findSkillByKey,
  findTokenSettings,
  insertSkill,
  listSkills,
  type SkillColumns,
  updateSkill,
  upsertTokenSettings,
} from './webview.repository.ts';
import type { WebviewSettings, WebviewSkill, WebviewTables } from './webview.tables.ts';

/** A skill as the API shows it. */
export interface SkillView {
  id: number;
  name: string;
  /** The group that answers the skill's chats; null: the site's routing rule. */
  groupId: number | null;
  /** The app's deep link for the skill (the spec's Skill table), or null. */
  deepLink: { action: string | null; uri: string | null; destination: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

export interface SkillInput {
  name: string;
  groupId?: number | null | undefined;
  deepLink?: { action?: string | null | undefined; uri?: string | null | undefined; destination?: string | null | undefined } | null | undefined;
}

/** How the app's Ssotoken is checked, as the API shows it (never the secret). */
export interface TokenSettingsView {
  /** none: no Ssotoken is accepted (anonymous customers only); jwt: HS256 with the site's secret; url: the site's verification URL. */
  mode: 'none' | 'jwt' | 'url';
  hasSecret: boolean;
  verifyUrl: string | null;
  verifyTimeoutMs: number;
  updatedAt: string | null;
}

export interface TokenSettingsInput {
  mode: 'none' | 'jwt' | 'url';
  verifyUrl?: string | null | undefined;
  verifyTimeoutMs?: number | undefined;
}

/** What verifying a token needs (server-side only). */
export type TokenVerification = { mode: 'none' } | { mode: 'jwt'; key: Uint8Array } | { mode: 'url'; url: string; timeoutMs: number };

export interface WebviewSettingsStore {
  skills: {
    list(ctx: SiteContext): Promise<SkillView[]>;
    /** The site's skill of that name, whatever its case. */
    byName(siteId: number, name: string): Promise<SkillView | undefined>;
    create(ctx: SiteContext, input: SkillInput): Promise<SkillView>;
    update(ctx: SiteContext, skillId: number, input: Partial<SkillInput>): Promise<SkillView>;
    remove(ctx: SiteContext, skillId: number): Promise<void>;
    /** Adds the spec's skills (Generic, GuaranTee, MobChg, …) that the site lacks; returns the list. */
    addPresets(ctx: SiteContext): Promise<SkillView[]>;
  };
  token: {
    view(ctx: SiteContext): Promise<TokenSettingsView>;
    /** Changes the mode; turning `jwt` on without a secret makes one, returned once as `secret`. */
    update(ctx: SiteContext, input: TokenSettingsInput): Promise<TokenSettingsView & { secret?: string }>;
    /** A new HS256 secret, returned once; the old one stops at once. */
    rotateSecret(ctx: SiteContext): Promise<{ secret: string }>;
    verification(siteId: number): Promise<TokenVerification>;
  };
}

/** A site has at most this many skills. */
export const MAX_SKILLS = 100;
export const SKILL_NAME = /^[A-Za-z0-9_-]{1,50}$/;
export const LINK_ACTION = /^[a-z0-9_]{1,100}$/;
export const MAX_LINK_URI = 500;
export const MAX_LINK_DESTINATION = 200;
export const MAX_VERIFY_URL = 500;
export const VERIFY_TIMEOUT_MS = { min: 500, max: 10_000, default: 3000 };

const specLink = (action: string, destination: string) => ({ action, uri: `https://www.nextbank.com.tw/app/?action=${action}`, destination });

/** The spec's Skill table (docs/mobile-webview.md#skills): its names and deep links, the destinations in English. */
export const PRESET_SKILLS: { name: string; deepLink: SkillView['deepLink'] }[] = [
  { name: 'Generic', deepLink: null },
  { name: 'GuaranTee', deepLink: specLink('guarantee', 'App account home') },
  { name: 'MobChg', deepLink: specLink('mob_chg', 'Settings') },
  { name: 'AccUp', deepLink: specLink('acc_up', 'App account home') },
  { name: '3APlus', deepLink: specLink('3a_plus', 'App account home') },
  { name: 'SetAgreeAcc', deepLink: specLink('set_agree_acc', 'App account home') },
  { name: 'PreDesAcc', deepLink: specLink('pre_des_acc', 'App account home') },
  { name: 'Mortgage', deepLink: null },
];

/** A refusal naming the field, as the schema's own refusals do (`errors[].path`). */
function badField(field: string, message: string): BadRequest {
  return new BadRequest(`${field} ${message}.`, { errors: [{ path: `body.${field}`, message }] });
}

function present(s: WebviewSkill): SkillView {
  const link = { action: s.link_action, uri: s.link_uri, destination: s.link_destination };
  return {
    id: s.id,
    name: s.name,
    groupId: s.group_id,
    deepLink: link.action === null && link.uri === null && link.destination === null ? null : link,
    createdAt: s.created_at,
    updatedAt: s.updated_at,
  };
}

function checkName(name: string): string {
  if (!SKILL_NAME.test(name)) throw badField('name', 'must be 1 to 50 letters, digits, _ or -');
  return name;
}

function checkUri(uri: string): string {
  if (uri.length > MAX_LINK_URI) throw badField('deepLink.uri', `must be at most ${MAX_LINK_URI} characters`);
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw badField('deepLink.uri', 'must be an absolute https URL');
  }
  if (url.protocol !== 'https:') throw badField('deepLink.uri', 'must be an https URL');
  return uri;
}

/** The deep link columns after a change: fields given change, null clears one, a null link clears all. */
function linkColumns(before: Pick<SkillColumns, 'link_action' | 'link_uri' | 'link_destination'>, link: SkillInput['deepLink']) {
  if (link === undefined) return { link_action: before.link_action, link_uri: before.link_uri, link_destination: before.link_destination };
  if (link === null) return { link_action: null, link_uri: null, link_destination: null };
  const { action, uri, destination } = link;
  if (typeof action === 'string' && !LINK_ACTION.test(action)) throw badField('deepLink.action', 'must be 1 to 100 lower-case letters, digits or _');
  if (typeof destination === 'string' && (destination.trim() === '' || destination.length > MAX_LINK_DESTINATION)) {
    throw badField('deepLink.destination', `must be 1 to ${MAX_LINK_DESTINATION} characters`);
  }
  return {
    link_action: action === undefined ? before.link_action : action,
    link_uri: uri === undefined ? before.link_uri : uri === null ? null : checkUri(uri),
    link_destination: destination === undefined ? before.link_destination : destination,
  };
}

/** The verification URL: http or https, without credentials or a fragment. */
function checkVerifyUrl(raw: string): string {
  if (raw.length > MAX_VERIFY_URL) throw badField('verifyUrl', `must be at most ${MAX_VERIFY_URL} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badField('verifyUrl', 'must be an absolute http or https URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badField('verifyUrl', 'must be an http or https URL');
  if (url.username || url.password) throw badField('verifyUrl', 'must not carry a user name or password');
  if (url.hash) throw badField('verifyUrl', 'must not have a fragment');
  // Which hosts it may reach (no private or loopback addresses) is the SSRF guard of issue 24, as
  // for webhooks; until then a site admin can point it anywhere the server can reach.
  return raw;
}

/** A new HS256 secret: 256 random bits, prefixed so a leaked one is recognisable. */
const newSecret = () => `pws_${randomBytes(32).toString('base64url')}`;

function presentToken(row: WebviewSettings | undefined): TokenSettingsView {
  if (!row) return { mode: 'none', hasSecret: false, verifyUrl: null, verifyTimeoutMs: VERIFY_TIMEOUT_MS.default, updatedAt: null };
  return { mode: row.token_mode, hasSecret: row.token_secret !== null, verifyUrl: row.verify_url, verifyTimeoutMs: row.verify_timeout_ms, updatedAt: row.updated_at };
}

export interface WebviewSettingsDeps {
  db: Kysely<WebviewTables>;
  /** Seals the HS256 secrets at rest. */
  sealKey: string;
  /** Whether the group belongs to the site (the agents module answers). */
  groupExists(siteId: number, groupId: number): Promise<boolean>;
}

/** The skills and Ssotoken settings of every site. */
export function createWebviewSettings({ db, sealKey, groupExists }: WebviewSettingsDeps): WebviewSettingsStore {
  const taken = (name: string) => new Conflict(`A skill named ${name} already exists in this site (names are compared without case).`, { reason: 'duplicate-name' });

  async function checkGroup(siteId: number, groupId: number | null | undefined): Promise<void> {
    if (typeof groupId === 'number' && !(await groupExists(siteId, groupId))) {
      throw new BadRequest(`groupId ${groupId} is not a group of this site.`, { errors: [{ path: 'body.groupId', message: 'is not a group of this site' }] });
    }
  }

  async function checkRoom(siteId: number, adding: number): Promise<void> {
    if ((await countSkills(db, siteId)) + adding > MAX_SKILLS) throw new Conflict(`A site has at most ${MAX_SKILLS} skills.`, { reason: 'skill-limit' });
  }

  const skills: WebviewSettingsStore['skills'] = {
    async list(ctx) {
      requirePermission(ctx, 'manageSettings', "see the mobile app's skills");
      return (await listSkills(db, ctx.siteId)).map(present);
    },

    async byName(siteId, name) {
      const s = await findSkillByKey(db, siteId, name.toLowerCase());
      return s && present(s);
    },

    async create(ctx, input) {
      requirePermission(ctx, 'manageSettings', "add the mobile app's skills");
      const name = checkName(input.name);
      const link = linkColumns({ link_action: null, link_uri: null, link_destination: null }, input.deepLink);
      await checkGroup(ctx.siteId, input.groupId);
      if (await findSkillByKey(db, ctx.siteId, name.toLowerCase())) throw taken(name);
      await checkRoom(ctx.siteId, 1);
      try {
        return present(await insertSkill(db, ctx.siteId, { name, name_key: name.toLowerCase(), group_id: input.groupId ?? null, ...link }));
      } catch (err) {
        if (isUniqueViolation(err)) throw taken(name);
        throw err;
      }
    },

    async update(ctx, skillId, input) {
      requirePermission(ctx, 'manageSettings', "change the mobile app's skills");
      const before = await findSkill(db, ctx.siteId, skillId);
      if (!before) throw new NotFound('skill', skillId);
      const name = input.name === undefined ? undefined : checkName(input.name);
      const link = linkColumns(before, input.deepLink);
      await checkGroup(ctx.siteId, input.groupId);
      const clash = name === undefined ? undefined : await findSkillByKey(db, ctx.siteId, name.toLowerCase());
      if (name !== undefined && clash && clash.id !== skillId) throw taken(name);
      const change: Partial<SkillColumns> = { ...link, ...(name !== undefined && { name, name_key: name.toLowerCase() }), ...(input.groupId !== undefined && { group_id: input.groupId }) };
      try {
        const after = await updateSkill(db, ctx.siteId, skillId, change);
        if (!after) throw new NotFound('skill', skillId);
        return present(after);
      } catch (err) {
        if (isUniqueViolation(err)) throw taken(name ?? before.name);
        throw err;
      }
    },

    async remove(ctx, skillId) {
      requirePermission(ctx, 'manageSettings', "delete the mobile app's skills");
      if (!(await deleteSkill(db, ctx.siteId, skillId))) throw new NotFound('skill', skillId);
    },

    async addPresets(ctx) {
      requirePermission(ctx, 'manageSettings', "add the mobile app's skills");
      const have = new Set((await listSkills(db, ctx.siteId)).map((s) => s.name_key));
      const missing = PRESET_SKILLS.filter((p) => !have.has(p.name.toLowerCase()));
      await checkRoom(ctx.siteId, missing.length);
      for (const p of missing) {
        const link = linkColumns({ link_action: null, link_uri: null, link_destination: null }, p.deepLink);
        try {
          await insertSkill(db, ctx.siteId, { name: p.name, name_key: p.name.toLowerCase(), group_id: null, ...link });
        } catch (err) {
          // Added meanwhile by another call: that one is kept, as it is.
          if (!isUniqueViolation(err)) throw err;
        }
      }
      return (await listSkills(db, ctx.siteId)).map(present);
    },
  };

  const token: WebviewSettingsStore['token'] = {
    async view(ctx) {
      requirePermission(ctx, 'manageSettings', "see how the mobile app's Ssotoken is verified");
      return presentToken(await findTokenSettings(db, ctx.siteId));
    },

    async update(ctx, input) {
      // Whoever sets the check can sign in as any of the bank's customers: site admins only.
      requireSiteAdmin(ctx, "change how the mobile app's Ssotoken is verified");
      const before = await findTokenSettings(db, ctx.siteId);
      const verifyUrl = input.verifyUrl === undefined ? (before?.verify_url ?? null) : input.verifyUrl === null ? null : checkVerifyUrl(input.verifyUrl);
      const timeout = input.verifyTimeoutMs;
      if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < VERIFY_TIMEOUT_MS.min || timeout > VERIFY_TIMEOUT_MS.max)) {
        throw badField('verifyTimeoutMs', `must be a whole number from ${VERIFY_TIMEOUT_MS.min} to ${VERIFY_TIMEOUT_MS.max}`);
      }
      if (input.mode === 'url' && verifyUrl === null) throw badField('verifyUrl', 'is required when mode is url');
      // Turning jwt on for the first time makes the secret; it is shown in this answer only.
      const secret = input.mode === 'jwt' && !before?.token_secret ? newSecret() : undefined;
      const row = await upsertTokenSettings(db, ctx.siteId, {
        token_mode: input.mode,
        verify_url: verifyUrl,
        ...(timeout !== undefined && { verify_timeout_ms: timeout }),
        ...(secret !== undefined && { token_secret: seal(sealKey, secret) }),
      });
      return secret === undefined ? presentToken(row) : { ...presentToken(row), secret };
    },

    async rotateSecret(ctx) {
      requireSiteAdmin(ctx, "replace the mobile app's Ssotoken secret");
      const secret = newSecret();
      await upsertTokenSettings(db, ctx.siteId, { token_secret: seal(sealKey, secret) });
      return { secret };
    },

    async verification(siteId) {
      const row = await findTokenSettings(db, siteId);
      if (row?.token_mode === 'jwt' && row.token_secret) return { mode: 'jwt', key: new TextEncoder().encode(unseal(sealKey, row.token_secret)) };
      if (row?.token_mode === 'url' && row.verify_url) return { mode: 'url', url: row.verify_url, timeoutMs: row.verify_timeout_ms };
      return { mode: 'none' };
    },
  };

  return { skills, token };
}
