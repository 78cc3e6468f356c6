export type { ChatEvent } from './chat.events.ts';
export type { ChatView, MessageView } from './chat.presenter.ts';
export { registerChatConsoleRoutes } from './chat.console.routes.ts';
export { registerChatFileRoutes } from './chat.files.routes.ts';
export { registerChatRoutes } from './chat.routes.ts';
export { type ChatService, createChatService } from './chat.service.ts';
export type { MessageEdited } from './chat.events.ts';
export type { AuditedMessageView } from './chat.presenter.ts';
export { ChatStatus, MessageContent, ReadInput, TypingInput } from './chat.routes.ts';
