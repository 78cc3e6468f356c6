// The API's shapes as the server's own presenters define them, so the console and the widget read
// exactly what the server writes (types only: nothing of the server is bundled).
export type { ChatView as Chat, MessageView as Message } from '../../src/modules/chat/chat.presenter.ts';
export type { VisitorLocation, VisitorPresenceView as VisitorPresence, VisitorView as Visitor } from '../../src/modules/visitors/visitors.views.ts';
export type { AgentStatus } from '../../src/modules/agents/agents.tables.ts';
export type { ChatStatus, SenderKind } from '../../src/modules/chat/chat.tables.ts';
export type { Permission } from '../../src/platform/http/access.ts';
export type { IpRestrictions } from '../../src/modules/tenancy/tenancy.profile.ts';
export type { CampaignField, CampaignSettings, CampaignView as Campaign, InvitationRule } from '../../src/modules/widget/widget.campaigns.ts';
export type { ImKeyView as ImKey } from '../../src/modules/im/im.keys.ts';
export type { ApplicationView as PartnerApplication, PartnerView, SiteUsage } from '../../src/modules/partners/partners.presenter.ts';
export type { AuditView as AuditEntry } from '../../src/modules/partners/partners.audit.ts';
export type { DomainView as Domain } from '../../src/modules/partners/partners.hosts.ts';
export type { SiteStatus } from '../../src/modules/tenancy/tenancy.tables.ts';
