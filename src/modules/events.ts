// The union of every domain event, for the bus that carries them.
import type { AgentEvent } from './agents/index.ts';
import type { ChatEvent } from './chat/index.ts';
import type { VisitorEvent } from './visitors/index.ts';

export type ParleyEvent = AgentEvent | ChatEvent | VisitorEvent;
