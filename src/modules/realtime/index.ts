export { channels } from './realtime.channels.ts';
export { createRealtimeAuthorizer } from './realtime.authorizer.ts';
export { publishEvent } from './realtime.publisher.ts';
