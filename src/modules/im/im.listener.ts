// The IM outbox is written in the transactions that store what it reports (im.outbox.ts); once
// they commit, this listener of the event log wakes the webhook worker so the delivery goes out
// now rather than at its next poll.
import type { DomainEvent, StoredEvent } from '../../platform/events/index.ts';

// The events whose transactions may have written IM webhook deliveries.
const OUTBOX_EVENTS = new Set(['message.created', 'chat.assigned', 'chat.transferred', 'chat.ended']);

/** The `im.webhooks` listener of the event log. */
export function createImListener({ kick }: { kick(): void }) {
  return {
    name: 'im.webhooks',
    async handle({ event }: StoredEvent<DomainEvent>): Promise<void> {
      if (OUTBOX_EVENTS.has(event.name)) kick();
    },
  };
}
