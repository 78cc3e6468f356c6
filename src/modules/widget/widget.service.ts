// What the widget needs to start on a customer's page: the site's settings, its partner's brand,
// the robot's persona, whether anyone can take a chat now, and the survey; plus the visitor's
// own answers (survey, robot ratings, offline messages) through the IM API's rules.
import type { Kysely } from 'kysely';
import type { SiteContext } from '../../platform/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import { Forbidden, NotFound } from '../../platform/errors.ts';
import type { ImService, ImSettings } from '../im/index.ts';
import type { PartnerHosts } from '../partners/index.ts';
import { siteIsOpen, type TenancyService } from '../tenancy/index.ts';
import { getWidgetSettings, updateWidgetSettings, type WidgetSettingsChange } from './widget.settings.ts';

interface Deps {
  db: Kysely<DB>;
  tenancy: TenancyService;
  hosts: PartnerHosts;
  im: ImService;
  imSettings(siteId: number): Promise<ImSettings>;
  /** The robot's welcome and its guide questions. */
  greeting(siteId: number): Promise<{ guide: { question_id: number; question_title: string }[] }>;
}

function visitorOf(ctx: SiteContext): number {
  if (ctx.actor.kind !== 'visitor') throw new Forbidden('Only visitors do this.');
  return ctx.actor.visitorId;
}

/** The widget's configuration and the visitor's answers. */
export function createWidgetService({ db, tenancy, hosts, im, imSettings, greeting }: Deps) {
  return {
    /** The public configuration of a site's widget; a closed site looks missing. */
    async config(siteId: number) {
      const site = await tenancy.findSite(siteId);
      if (!site || !siteIsOpen(site)) throw new NotFound('site', siteId);
      const [settings, brand, s, welcome, online] = await Promise.all([
        getWidgetSettings(db, siteId),
        hosts.ofPartner(site.partner_id),
        imSettings(siteId),
        greeting(siteId),
        db
          .selectFrom('agents')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('site_id', '=', siteId)
          .where('status', '=', 'online')
          .where('is_active', '=', true)
          .executeTakeFirstOrThrow(),
      ]);
      return {
        siteId,
        company: site.company,
        ...settings,
        brand: { name: brand.name, logoUrl: brand.logoUrl, themeCssUrl: brand.themeCssUrl },
        robot: { name: s.robot.name, avatar: s.robot.avatar, welcomeMessage: s.robot.welcomeMessage, guide: welcome.guide },
        agentsAvailable: Number(online.n) > 0,
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

    settings: (ctx: SiteContext) => getWidgetSettings(db, ctx.siteId),
    updateSettings: (ctx: SiteContext, change: WidgetSettingsChange) => updateWidgetSettings(db, ctx.siteId, change),

    answerSurvey: (ctx: SiteContext, chatId: number, optionId: number, remark?: string) => im.answerSurveyOf(ctx.siteId, visitorOf(ctx), chatId, optionId, remark),
    rateAnswer: (ctx: SiteContext, chatId: number, messageId: number, useful: boolean) => im.rateAnswerOf(ctx.siteId, visitorOf(ctx), chatId, messageId, useful),
    async leaveOfflineMessage(ctx: SiteContext, o: { content: string; name?: string | undefined; email?: string | undefined; phone?: string | undefined }) {
      const visitorId = visitorOf(ctx);
      if (!(await getWidgetSettings(db, ctx.siteId)).offlineForm) throw new Forbidden('This site does not take messages when nobody is available.', { reason: 'offline-form-off' });
      return im.leaveOfflineMessageOf(ctx.siteId, visitorId, o);
    },
  };
}

export type WidgetService = ReturnType<typeof createWidgetService>;
