// What the widget needs to start on a customer's page: the site's settings, its partner's brand,
// the robot's persona, whether anyone can take a chat now, and the survey; plus the visitor's
// own answers (survey, robot ratings, offline messages) through the IM API's rules.
import type { SiteContext } from '../../platform/context.ts';
import { Forbidden, NotFound } from '../../platform/errors.ts';
import type { AgentsService } from '../agents/index.ts';
import type { ImService, ImSettingsStore } from '../im/index.ts';
import type { TenancyService } from '../tenancy/index.ts';
import { getWidgetSettings, updateWidgetSettings, type WidgetSettings, type WidgetSettingsChange } from './widget.settings.ts';

/** A partner's brand as the widget shows it. */
export interface WidgetBrand {
  name: string;
  logoUrl: string | null;
  themeCssUrl: string | null;
}

export interface WidgetDeps {
  tenancy: Pick<TenancyService, 'findSite' | 'siteState' | 'settings'>;
  /** The brand of a partner (its name, logo and theme). */
  brandOf(partnerId: number): Promise<WidgetBrand>;
  im: ImService;
  imSettings: ImSettingsStore;
  agents: Pick<AgentsService, 'countOnline'>;
  /** The robot's welcome and its guide questions. */
  greeting(siteId: number): Promise<{ guide: { question_id: number; question_title: string }[] }>;
}

/** The widget's configuration and the visitor's answers. */
export interface WidgetService {
  /** The public configuration of a site's widget; a closed site looks missing. */
  config(siteId: number): Promise<WidgetConfig>;
  settings(ctx: SiteContext): Promise<WidgetSettings>;
  updateSettings(ctx: SiteContext, change: WidgetSettingsChange): Promise<WidgetSettings>;
  answerSurvey(ctx: SiteContext, chatId: number, optionId: number, remark?: string): Promise<void>;
  rateAnswer(ctx: SiteContext, chatId: number, messageId: number, useful: boolean): Promise<void>;
  leaveOfflineMessage(ctx: SiteContext, o: { content: string; name?: string | undefined; email?: string | undefined; phone?: string | undefined }): Promise<number>;
}

/** The widget's public configuration. */
export type WidgetConfig = WidgetSettings & {
  siteId: number;
  company: string;
  brand: WidgetBrand;
  robot: { name: string; avatar: string | null; welcomeMessage: string; guide: { question_id: number; question_title: string }[] };
  agentsAvailable: boolean;
  offlineMessage: string;
  survey: { enabled: boolean; title: string; desc: string; options: { id: number; text: string }[]; remarkEnabled: boolean; remark: string };
};

function visitorOf(ctx: SiteContext): number {
  if (ctx.actor.kind !== 'visitor') throw new Forbidden('Only visitors do this.');
  return ctx.actor.visitorId;
}

/** The widget's configuration and the visitor's answers. */
export function createWidgetService({ tenancy, brandOf, im, imSettings, agents, greeting }: WidgetDeps): WidgetService {
  const store = tenancy.settings;
  return {
    /** The public configuration of a site's widget; a closed site looks missing. */
    async config(siteId: number) {
      const site = await tenancy.findSite(siteId);
      if (!site || (await tenancy.siteState(siteId))?.open !== true) throw new NotFound('site', siteId);
      const [settings, brand, s, welcome, online] = await Promise.all([
        getWidgetSettings(store, siteId),
        brandOf(site.partnerId),
        imSettings.get(siteId),
        greeting(siteId),
        agents.countOnline(siteId),
      ]);
      return {
        siteId,
        company: site.company,
        ...settings,
        brand: { name: brand.name, logoUrl: brand.logoUrl, themeCssUrl: brand.themeCssUrl },
        robot: { name: s.robot.name, avatar: s.robot.avatar, welcomeMessage: s.robot.welcomeMessage, guide: welcome.guide },
        agentsAvailable: online > 0,
        offlineMessage: s.routing.offlineMessage,
        survey: {
          enabled: s.survey.enabled && s.survey.methods.some((m) => m.flag === 'after_session' && m.enabled),
          title: s.survey.title,
          desc: s.survey.desc,
          options: s.survey.options.filter((o) => o.enabled).map((o) => ({ id: o.id, text: o.text })),
          remarkEnabled: s.survey.remark_enabled,
          remark: s.survey.remark,
        },
      };
    },

    settings: (ctx) => getWidgetSettings(store, ctx.siteId),
    updateSettings: (ctx, change) => updateWidgetSettings(store, ctx.siteId, change),

    answerSurvey: (ctx: SiteContext, chatId: number, optionId: number, remark?: string) => im.answerSurveyOf(ctx.siteId, visitorOf(ctx), chatId, optionId, remark),
    rateAnswer: (ctx: SiteContext, chatId: number, messageId: number, useful: boolean) => im.rateAnswerOf(ctx.siteId, visitorOf(ctx), chatId, messageId, useful),
    async leaveOfflineMessage(ctx: SiteContext, o: { content: string; name?: string | undefined; email?: string | undefined; phone?: string | undefined }) {
      const visitorId = visitorOf(ctx);
      if (!(await getWidgetSettings(store, ctx.siteId)).offlineForm) throw new Forbidden('This site does not take messages when nobody is available.', { reason: 'offline-form-off' });
      return im.leaveOfflineMessageOf(ctx.siteId, visitorId, o);
    },
  };
}

