// What the widget needs to start on a customer's page: the site's settings, its partner's brand,
// the robot's persona, whether anyone can take a chat now, and the survey; plus the visitor's
// own answers (survey, robot ratings, offline messages) through the IM API's rules.
import type { SiteContext } from '../../platform/context.ts';
import { Forbidden, InvalidState, NotFound } from '../../platform/errors.ts';
import type { AgentsService } from '../agents/index.ts';
import type { ImService, ImSettingsStore } from '../im/index.ts';
import type { TenancyService } from '../tenancy/index.ts';
import type { CampaignField, CampaignSettings, Campaigns } from './widget.campaigns.ts';
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
  agents: Pick<AgentsService, 'countOnline' | 'available'>;
  /** Sends the calling visitor an invitation on an agent's behalf (the visitors module's). */
  inviteOnBehalf(ctx: SiteContext, agentId: number, message: string): Promise<void>;
  /** The robot's welcome and its guide questions. */
  greeting(siteId: number): Promise<{ guide: { question_id: number; question_title: string }[] }>;
  campaigns: Campaigns;
  /** Who may send files in the site's chats (the chat module's). */
  fileSettings(siteId: number): Promise<{ visitorFiles: boolean; maxBytes: number }>;
}

/** The widget's configuration and the visitor's answers. */
export interface WidgetService {
  /** The public configuration of a site's widget (with the campaign the tag names, or the site's first); a closed site looks missing. */
  config(siteId: number, campaignId?: number): Promise<WidgetConfig>;
  settings(ctx: SiteContext): Promise<WidgetSettings>;
  updateSettings(ctx: SiteContext, change: WidgetSettingsChange): Promise<WidgetSettings>;
  answerSurvey(ctx: SiteContext, chatId: number, optionId: number, remark?: string): Promise<void>;
  rateAnswer(ctx: SiteContext, chatId: number, messageId: number, useful: boolean): Promise<void>;
  leaveOfflineMessage(ctx: SiteContext, o: { content: string; name?: string | undefined; email?: string | undefined; phone?: string | undefined }): Promise<number>;
  /**
   * The calling visitor met one of its campaign's invitation rules (the widget checks them): it
   * is invited on behalf of the agent routing would try first. Refused when nobody is online.
   */
  invitation(ctx: SiteContext, campaignId: number, rule: number): Promise<void>;
  campaigns: Campaigns;
}

/** The widget's public configuration. */
export type WidgetConfig = Omit<WidgetSettings, 'prechat'> & {
  prechat: { enabled: boolean; message: string | null; fields: CampaignField[] };
  /** Whether the visitor may send files, and how large. */
  files: { enabled: boolean; maxBytes: number };
  /** The campaign shown: its look and invitation rules; null when the site has no campaigns. */
  campaign: { id: number; name: string; look: CampaignSettings['look']; invitations: CampaignSettings['invitations'] } | null;
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
const FIELD_TYPES: Record<string, CampaignField['type']> = { email: 'email', phone: 'tel', question: 'textarea' };

export function createWidgetService({ tenancy, brandOf, im, imSettings, agents, greeting, campaigns, inviteOnBehalf, fileSettings }: WidgetDeps): WidgetService {
  const store = tenancy.settings;
  return {
    /** The public configuration of a site's widget; a closed site looks missing. */
    async config(siteId: number, campaignId?: number) {
      const site = await tenancy.findSite(siteId);
      if (!site || (await tenancy.siteState(siteId))?.open !== true) throw new NotFound('site', siteId);
      const [settings, brand, s, welcome, online, named, files] = await Promise.all([
        getWidgetSettings(store, siteId),
        brandOf(site.partnerId),
        imSettings.get(siteId),
        greeting(siteId),
        agents.countOnline(siteId),
        campaigns.forWidget(siteId, campaignId),
        fileSettings(siteId),
      ]);
      // A tag naming a campaign that is gone shows the site's first, as a tag naming none does.
      const campaign = named ?? (campaignId === undefined ? undefined : await campaigns.forWidget(siteId));
      const c = campaign?.settings;
      const prechat = c
        ? c.prechat
        : { ...settings.prechat, fields: settings.prechat.fields.map((f) => ({ name: f.name, label: null, required: f.required, type: FIELD_TYPES[f.name] ?? 'text' })) };
      return {
        siteId,
        company: site.company,
        ...settings,
        prechat,
        offlineForm: c ? c.offline.enabled : settings.offlineForm,
        files: { enabled: files.visitorFiles, maxBytes: files.maxBytes },
        campaign: campaign ? { id: campaign.id, name: campaign.name, look: campaign.settings.look, invitations: campaign.settings.invitations } : null,
        brand: { name: brand.name, logoUrl: brand.logoUrl, themeCssUrl: brand.themeCssUrl },
        robot: { name: s.robot.name, avatar: s.robot.avatar, welcomeMessage: s.robot.welcomeMessage, guide: welcome.guide },
        agentsAvailable: online > 0,
        offlineMessage: c?.offline.message ?? s.routing.offlineMessage,
        survey: {
          enabled: (c?.survey.enabled ?? true) && s.survey.enabled && s.survey.methods.some((m) => m.flag === 'after_session' && m.enabled),
          title: s.survey.title,
          desc: s.survey.desc,
          options: s.survey.options.filter((o) => o.enabled).map((o) => ({ id: o.id, text: o.text })),
          remarkEnabled: s.survey.remark_enabled,
          remark: s.survey.remark,
        },
      };
    },

    settings: (ctx) => getWidgetSettings(store, ctx.siteId),
    campaigns,

    async invitation(ctx, campaignId, rule) {
      visitorOf(ctx);
      const campaign = await campaigns.forWidget(ctx.siteId, campaignId);
      const invitation = campaign?.settings.invitations[rule];
      if (!campaign || campaign.id !== campaignId || !invitation) throw new NotFound('invitation rule', `${campaignId}/${rule}`);
      const [first] = (await agents.available(ctx.siteId)).sort((a, b) => a.priority - b.priority || a.id - b.id);
      if (!first) throw new InvalidState('Nobody is online to invite the visitor.', { reason: 'no-agent-online' });
      await inviteOnBehalf(ctx, first.id, invitation.message);
    },
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

