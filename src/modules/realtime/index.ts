export { channels } from './realtime.channels.ts';
export { createRealtimeAuthorizer } from './realtime.authorizer.ts';
export { publicationsOf, publishEvent } from './realtime.publisher.ts';
export { trackVisitorPresence } from './realtime.presence.ts';
export { createRealtimeListener } from './realtime.listener.ts';
