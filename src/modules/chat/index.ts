// Chats and their messages: requests, routing and queues, the robot's part, transfers, edits,
// files, the console's operations and history search.
import type { FastifyBaseLogger } from 'fastify';
import type { DomainEvent } from '../../platform/events/index.ts';
import { everyInterval, type ParleyModule } from '../../platform/module.ts';
import type { ChatDeps } from './chat.core.ts';
import { registerChatConsoleRoutes } from './chat.console.routes.ts';
import { registerChatFileRoutes } from './chat.files.routes.ts';
import { createChatListener } from './chat.listener.ts';
import { registerChatRoutes } from './chat.routes.ts';
import { type ChatService, createChatService } from './chat.service.ts';

export { type ChatDeps, type RobotReply, type RobotResponder, type RoutingSettings, routingSettingsOf, type WebviewTags } from './chat.core.ts';
export type { ChatEvent, ChatTyping, MessageCreated, MessageEdited } from './chat.events.ts';
export type { AuditedMessageView, ChatView, MessageView } from './chat.presenter.ts';
export type { ChatService, OpenChatView } from './chat.service.ts';
export { fileSettingsOf, type FileSettings } from './chat.files.settings.ts';
export { ChatStatus, MessageContent, ReadInput, TypingInput } from './chat.routes.ts';

export interface ChatModuleDeps extends ChatDeps {
  log: Pick<FastifyBaseLogger, 'error'>;
  /** How often this node ends chats that waited in a queue longer than their site allows. */
  queueSweepSeconds: number;
  searchRateLimitPerMinute: number;
  fileRateLimitPerMinute: number;
}

/** The chat module: its service, routes, the routing listener and the queue sweep. */
export function createChatModule(deps: ChatModuleDeps): ParleyModule<ChatService, DomainEvent> {
  const service = createChatService(deps);
  return {
    service,
    routes(http) {
      registerChatRoutes(http, service);
      registerChatConsoleRoutes(http, service, { searchPerMinute: deps.searchRateLimitPerMinute });
      registerChatFileRoutes(http, service, { maxBytes: deps.fileMaxBytes, perMinute: deps.fileRateLimitPerMinute });
    },
    listeners: [createChatListener(service)],
    jobs: [everyInterval('ending overdue queued chats', deps.queueSweepSeconds * 1000, () => service.endOverdueQueuedChats(), deps.log)],
  };
}
