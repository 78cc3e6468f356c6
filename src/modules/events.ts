// The union of every domain event, as the event log carries them (docs/events.md).
import type { AgentEvent } from './agents/index.ts';
import type { ChatEvent } from './chat/index.ts';
import type { ImEvent } from './im/index.ts';
import type { PartnerEvent } from './partners/index.ts';
import type { RobotEvent } from './robot/index.ts';
import type { SiteEvent } from './tenancy/index.ts';
import type { VisitorEvent } from './visitors/index.ts';

export type ParleyEvent = AgentEvent | ChatEvent | VisitorEvent | ImEvent | RobotEvent | SiteEvent | PartnerEvent;
