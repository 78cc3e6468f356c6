// In-process domain event bus. Services emit only after their transaction commits; real-time,
// metrics and (later) webhooks and reports listen to the same events.

/** Every domain event has a past-tense dotted name and carries its site. */
export interface DomainEvent {
  name: string;
  siteId: number;
}

type Listener<E extends DomainEvent> = (event: E) => void | Promise<void>;

export interface EventBus<E extends DomainEvent> {
  /** Hands the event to every listener; a failing listener is logged, never breaks the emitter. */
  emit(event: E): Promise<void>;
  on(listener: Listener<E>): () => void;
}

/** Creates an event bus whose listener failures go to `onError`. */
export function createEventBus<E extends DomainEvent>(onError: (err: unknown, event: E) => void): EventBus<E> {
  const listeners = new Set<Listener<E>>();
  return {
    async emit(event) {
      for (const listener of listeners) {
        try {
          await listener(event);
        } catch (err) {
          onError(err, event);
        }
      }
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
