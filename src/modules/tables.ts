// The whole database as the composition root opens it: every module's own tables. Modules never
// import this; each types its queries with its own tables (`<module>.tables.ts`).
import type { EventTables } from '../platform/events/index.ts';
import type { AgentsTables } from './agents/agents.tables.ts';
import type { CannedTables } from './canned/canned.tables.ts';
import type { ChatTables } from './chat/chat.tables.ts';
import type { IdentityTables } from './identity/identity.tables.ts';
import type { ImTables } from './im/im.tables.ts';
import type { PartnersTables } from './partners/partners.tables.ts';
import type { ReportsTables } from './reports/reports.tables.ts';
import type { RobotTables } from './robot/robot.tables.ts';
import type { SsoTables } from './sso/sso.tables.ts';
import type { TenancyTables } from './tenancy/tenancy.tables.ts';
import type { VisitorsTables } from './visitors/visitors.tables.ts';
import type { WebhooksTables } from './webhooks/webhooks.tables.ts';
import type { WebviewTables } from './webview/webview.tables.ts';
import type { WidgetTables } from './widget/widget.tables.ts';

export type DB = IdentityTables &
  TenancyTables &
  AgentsTables &
  VisitorsTables &
  ChatTables &
  RobotTables &
  ImTables &
  WebhooksTables &
  CannedTables &
  PartnersTables &
  SsoTables &
  WidgetTables &
  ReportsTables &
  WebviewTables &
  EventTables;
