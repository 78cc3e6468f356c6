export type { ChatEvent } from './chat.events.ts';
export type { ChatView, MessageView } from './chat.presenter.ts';
export { registerChatRoutes } from './chat.routes.ts';
export { type ChatService, createChatService } from './chat.service.ts';
