// Per-site IM settings: the routing rule and queue limits, the offline message, the robot's
// persona and the survey (the spec's survey_options), kept in the site's settings (tenancy). A site
// that never set them has the defaults.
import type { Executor } from '../../platform/db/database.ts';
import { type RoutingSettings, routingSettingsOf } from '../chat/index.ts';
import { type RobotSettings, robotSettingsOf } from '../robot/index.ts';
import type { RoutingRule, SiteSettingsRecord, SiteSettingsStore } from '../tenancy/index.ts';

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

/** Shapes a site's settings (or their absence) with the defaults filled in. */
export function presentSettings(row: SiteSettingsRecord | undefined): ImSettings {
  return {
    routing: routingSettingsOf(row),
    callbackUrl: row?.callbackUrl ?? null,
    robot: robotSettingsOf(row),
    survey: parse(row?.survey, defaultSurvey),
  };
}

export interface SettingsChange {
  rule?: RoutingRule | undefined;
  maxQueueLength?: number | null | undefined;
  maxQueueWaitSeconds?: number | null | undefined;
  offlineMessage?: string | null | undefined;
  robot?: RobotSettings | undefined;
  survey?: SurveyOptions | undefined;
}

/** Sites' IM settings. */
export interface ImSettingsStore {
  /** A site's IM settings, read through `ex` when given (the caller's transaction). */
  get(siteId: number, ex?: Executor): Promise<ImSettings>;
  /** Changes some of a site's settings; returns them all. */
  update(siteId: number, change: SettingsChange): Promise<ImSettings>;
}

/** The IM settings over the sites' settings store. */
export function createImSettings(store: SiteSettingsStore): ImSettingsStore {
  const get = async (siteId: number, ex?: Executor) => presentSettings(await store.read(siteId, ex));
  return {
    get,
    async update(siteId, change) {
      await store.write(siteId, {
        ...(change.rule !== undefined && { routingRule: change.rule }),
        ...(change.maxQueueLength !== undefined && { maxQueueLength: change.maxQueueLength }),
        ...(change.maxQueueWaitSeconds !== undefined && { maxQueueWaitSeconds: change.maxQueueWaitSeconds }),
        ...(change.offlineMessage !== undefined && { offlineMessage: change.offlineMessage }),
        ...(change.robot !== undefined && { robot: JSON.stringify(change.robot) }),
        ...(change.survey !== undefined && { survey: JSON.stringify(change.survey) }),
      });
      return get(siteId);
    },
  };
}
