// When a failed webhook delivery is tried again, or given up.

export interface RetryPolicy {
  /** Delay after the first failure; it doubles per further failure. */
  backoffBaseMs: number;
  /** The longest delay between two attempts. */
  backoffMaxMs: number;
}

/**
 * The delay after the `attempts`-th failed attempt: exponential, capped, and jittered into
 * [half, all] of it, so that many deliveries failing together do not all come back together.
 */
export function backoffDelay(attempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 52);
  const delay = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** exponent);
  return Math.round(delay * (0.5 + random() / 2));
}

export type AfterFailure = { status: 'pending'; nextAttemptAt: string } | { status: 'dead'; deadAt: string };

/** What becomes of a delivery whose `attempts`-th attempt failed: retried later, or dead once past its give-up time. */
export function afterFailure(attempts: number, giveUpAt: string, now: Date, policy: RetryPolicy, random: () => number = Math.random): AfterFailure {
  const next = now.getTime() + backoffDelay(attempts, policy, random);
  if (next > Date.parse(giveUpAt)) return { status: 'dead', deadAt: now.toISOString() };
  return { status: 'pending', nextAttemptAt: new Date(next).toISOString() };
}
