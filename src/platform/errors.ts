// Typed domain errors. Services throw these; the HTTP error handler maps each kind to a status
// and an RFC 9457 problem type, and hides the details of anything else.

export interface ProblemExtras {
  [key: string]: unknown;
}

/** Base class of every expected failure; `kind` is the stable problem slug. */
export abstract class DomainError extends Error {
  abstract readonly kind: string;
  abstract readonly status: number;
  readonly extras: ProblemExtras;
  constructor(message: string, extras: ProblemExtras = {}) {
    super(message);
    this.extras = extras;
  }
}

export class NotFound extends DomainError {
  readonly kind = 'not-found';
  readonly status = 404;
  constructor(entity: string, id?: string | number) {
    super(id === undefined ? `${entity} not found` : `${entity} ${id} not found`, { entity });
  }
}

export class BadRequest extends DomainError {
  readonly kind = 'bad-request';
  readonly status = 400;
}

export class Unauthorized extends DomainError {
  readonly kind = 'unauthorized';
  readonly status = 401;
}

export class Forbidden extends DomainError {
  readonly kind = 'forbidden';
  readonly status = 403;
}

export class Conflict extends DomainError {
  readonly kind = 'conflict';
  readonly status = 409;
}

export class PayloadTooLarge extends DomainError {
  readonly kind = 'payload-too-large';
  readonly status = 413;
}

export class UnsupportedMediaType extends DomainError {
  readonly kind = 'unsupported-media-type';
  readonly status = 415;
}

export class TooManyRequests extends DomainError {
  readonly kind = 'too-many-requests';
  readonly status = 429;
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message, { retryAfter: retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A state-machine violation: the action is valid in general, not for the object as it is now. */
export class InvalidState extends DomainError {
  readonly kind = 'invalid-state';
  readonly status = 409;
}

/** Nobody can take the chat now and the site's queue is full: the customer may leave an offline message. */
export class QueueFull extends DomainError {
  readonly kind = 'queue-full';
  readonly status = 409;
  constructor(offlineMessage: string) {
    super('The queue is full; nobody can take the chat now. Leave an offline message instead.', { offlineMessage });
  }
}

/** The agent asked for by name is not online (or was blocked). */
export class AgentUnavailable extends DomainError {
  readonly kind = 'agent-unavailable';
  readonly status = 409;
  constructor(agentId: number) {
    super(`Agent ${agentId} is not online.`, { agentId });
  }
}
