// The events of the log the reports count (docs/events.md); each module declares its own.
import type { AgentStatusChanged } from '../agents/index.ts';
import type { ChatEvent } from '../chat/index.ts';
import type { ImEvent } from '../im/index.ts';
import type { RobotEvent } from '../robot/index.ts';

export type ReportEvent = ChatEvent | AgentStatusChanged | ImEvent | RobotEvent;

/** The names the `reports` listener is handed; it passes over the rest of the log. */
export const REPORT_EVENT_NAMES: ReadonlySet<string> = new Set([
  'chat.requested',
  'chat.queued',
  'chat.assigned',
  'chat.accepted',
  'chat.switchedToAgents',
  'chat.switchedToBot',
  'chat.ended',
  'message.created',
  'robot.answered',
  'robot.rated',
  'survey.answered',
  'offlineMessage.left',
  'agent.statusChanged',
]);
