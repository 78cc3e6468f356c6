// Per-site IM settings: the routing rule and queue limits, the offline message, the robot's
// persona and the survey (the spec's survey_options). A site without a row has the defaults.
import type { Kysely, Transaction } from 'kysely';
import type { DB, RoutingRule, SiteSettings } from '../../platform/db/schema.ts';
import type { RoutingSettings } from '../chat/index.ts';
import type { RobotSettings } from '../robot/index.ts';

type Q = Kysely<DB> | Transaction<DB>;

export interface SurveyOption {
  id: number;
  text: string;
  enabled: boolean;
}

export interface SurveyMethod {
  id: number;
  flag: 'after_session' | 'agent_invite' | 'customer_invite';
  text: string;
  enabled: boolean;
}

/** The spec's survey_options, field for field. */
export interface SurveyOptions {
  enabled: boolean;
  name: string;
  title: string;
  desc: string;
  remark_enabled: boolean;
  remark: string;
  options: SurveyOption[];
  methods: SurveyMethod[];
}

export interface ImSettings {
  routing: RoutingSettings;
  callbackUrl: string | null;
  robot: RobotSettings;
  survey: SurveyOptions;
}

export const defaultOfflineMessage = 'Sorry, nobody can take your chat right now. Leave us a message and we will get back to you.';

export const defaultRobot: RobotSettings = {
  name: 'Assistant',
  avatar: null,
  welcomeMessage: 'Hello! Ask me a question, or type "agent" to talk to a person.',
  unknownMessage: 'Sorry, I do not know the answer to that yet. Rephrase it, or type "agent" to talk to a person.',
  handoverMessage: 'Let me find a person to help you; one moment please.',
  handoverAfterMisses: 3,
  guideQuestionIds: [],
};

export const defaultSurvey: SurveyOptions = {
  enabled: true,
  name: 'Satisfaction survey',
  title: 'How would you rate our service?',
  desc: 'Thank you for your support. To help us serve you better, please rate this conversation.',
  remark_enabled: true,
  remark: 'You may add a remark',
  options: [
    { id: 1, text: 'Very satisfied', enabled: true },
    { id: 2, text: 'Satisfied', enabled: true },
    { id: 3, text: 'Neutral', enabled: true },
    { id: 4, text: 'Unsatisfied', enabled: true },
    { id: 5, text: 'Very unsatisfied', enabled: true },
  ],
  methods: [
    { id: 1, flag: 'after_session', text: 'Shown when the conversation ends', enabled: true },
    { id: 2, flag: 'agent_invite', text: 'The agent invites the customer', enabled: true },
    { id: 3, flag: 'customer_invite', text: 'The customer rates on their own', enabled: true },
  ],
};

function parse<T>(json: string | undefined, fallback: T): T {
  if (!json) return fallback;
  const stored = JSON.parse(json) as Partial<T>;
  return { ...fallback, ...stored };
}

/** Shapes a settings row (or its absence) with the defaults filled in. */
export function presentSettings(row: SiteSettings | undefined): ImSettings {
  return {
    routing: {
      rule: row?.routing_rule ?? 'least-busy',
      maxQueueLength: row?.max_queue_length ?? null,
      maxQueueWaitSeconds: row?.max_queue_wait_seconds ?? null,
      offlineMessage: row?.offline_message ?? defaultOfflineMessage,
    },
    callbackUrl: row?.callback_url ?? null,
    robot: parse(row?.robot, defaultRobot),
    survey: parse(row?.survey, defaultSurvey),
  };
}

/** A site's IM settings. */
export async function getSettings(db: Q, siteId: number): Promise<ImSettings> {
  return presentSettings(await db.selectFrom('site_settings').selectAll().where('site_id', '=', siteId).executeTakeFirst());
}

export interface SettingsChange {
  rule?: RoutingRule | undefined;
  maxQueueLength?: number | null | undefined;
  maxQueueWaitSeconds?: number | null | undefined;
  offlineMessage?: string | null | undefined;
  robot?: RobotSettings | undefined;
  survey?: SurveyOptions | undefined;
}

/** Changes some of a site's settings (creating its row on first use); returns them all. */
export async function updateSettings(db: Q, siteId: number, change: SettingsChange): Promise<ImSettings> {
  const set = {
    ...(change.rule !== undefined && { routing_rule: change.rule }),
    ...(change.maxQueueLength !== undefined && { max_queue_length: change.maxQueueLength }),
    ...(change.maxQueueWaitSeconds !== undefined && { max_queue_wait_seconds: change.maxQueueWaitSeconds }),
    ...(change.offlineMessage !== undefined && { offline_message: change.offlineMessage }),
    ...(change.robot !== undefined && { robot: JSON.stringify(change.robot) }),
    ...(change.survey !== undefined && { survey: JSON.stringify(change.survey) }),
    updated_at: new Date().toISOString(),
  };
  await db
    .insertInto('site_settings')
    .values({ site_id: siteId, ...set })
    .onConflict((oc) => oc.column('site_id').doUpdateSet(set))
    .execute();
  return getSettings(db, siteId);
}
