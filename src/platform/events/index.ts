// The domain event log: append in the changing transaction, relay to listeners after commit.
export { createEventLog, decodeEvent, type DomainEvent, type Emit, encodeEvent, type EventLog, type LateEvent, type StoredEvent, storedEvent } from './event-log.ts';
export { createRelay, type EventListener, lastEventOf, type Relay, type RelayOptions, readEvents } from './relay.ts';
export type { EventTables } from './tables.ts';
