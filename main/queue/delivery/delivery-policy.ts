/**
 * What the delivery loop does after a failed send, per error class from the gateway. Pure: the
 * loop carries the decision out. The rules, and why:
 *
 * - network, server, bad-response: retry with backoff until the job's maximum age. Nothing is
 *   wrong with the job itself; the link or the vendor will come back.
 * - outcome-unknown: the request may have reached the vendor, but we have no answer. A check
 *   has no effect to double except one more billed call, while a dropped job costs a customer
 *   their verification: resend (at-least-once, same backoff), counting resends for staff.
 * - auth: every job of the vendor would fail the same way. Pause the vendor until its
 *   credentials change, and do not count the attempt against the job.
 * - usage-limit: the vendor's quota is spent; pause the vendor for a cool-down, no attempt
 *   counted.
 * - rejected-input: the vendor will never accept these images; fail the job with its reason.
 */
import { isVendorError } from '../../vendors/vendor-error.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { MINUTE, SECOND } from '../../clock/clock.js';
import type { Job, JobError } from '../job.js';

export interface DeliveryPolicy {
  backoff: BackoffPolicy;
  /**
   * How long a vendor stays paused after a usage-limit answer. 30 min: quotas reset on the
   * vendor's schedule (hourly to monthly) which we cannot see; this re-checks a few times an
   * hour at the cost of one refused request. Staff can resume earlier.
   */
  usageLimitCooldownMs: number;
  /**
   * How often a usage-limit cool-down is checked for its end (in memory, no keychain read). A
   * vendor paused for its credentials is not polled at all: a change of credentials is an
   * event (`DeliveryLoop.credentialsChanged`, sent by the staff console when staff save them).
   */
  cooldownCheckMs: number;
  /**
   * A claim's lease, renewed every third of it while the send runs. Another drainer takes the
   * job over only after the lease runs out, so this bounds how long a job waits after its
   * drainer hangs; renewal means a slow upload never loses its lease.
   */
  leaseMs: number;
  /** Sends in flight per vendor. 1: a branch's weak uplink is shared by every upload. */
  concurrencyPerVendor: number;
  /** How often expiry and retention run. */
  sweepIntervalMs: number;
  /**
   * The longest the loop sleeps with nothing due: picks up jobs that another process (the CLI)
   * enqueued. 30 s keeps the cost negligible.
   */
  idlePollMs: number;
  /**
   * While the queue's storage fails, how often the outcomes not yet recorded are written
   * again. 5 s: a freed disk or a remount is picked up quickly; each try is one small write.
   */
  storageRetryMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  backoff: DEFAULT_BACKOFF,
  usageLimitCooldownMs: 30 * MINUTE,
  cooldownCheckMs: 15 * SECOND,
  leaseMs: 2 * MINUTE,
  concurrencyPerVendor: 1,
  sweepIntervalMs: 5 * MINUTE,
  idlePollMs: 30 * SECOND,
  storageRetryMs: 5 * SECOND,
};

export type FailureDecision =
  | { kind: 'retry'; at: number; outcomeUnknown: boolean; error: JobError }
  | { kind: 'expire'; error: JobError }
  | { kind: 'pause-vendor'; reason: 'auth' | 'usage-limit'; until: number | null; error: JobError }
  | { kind: 'fail'; error: JobError };

export function decideAfterFailure(
  thrown: unknown,
  job: Pick<Job, 'attempts' | 'ageMs'>,
  context: { now: number; maxAgeMs: number; policy: DeliveryPolicy; random: () => number },
): FailureDecision {
  const error: JobError = isVendorError(thrown)
    ? { code: thrown.code, message: thrown.message }
    : // Not from the gateway's taxonomy: a bug on our side. Retrying keeps the job alive
      // while someone looks; the message is ours, never a vendor body.
      { code: 'unexpected', message: `Unexpected error while sending: ${describe(thrown)}` };
  const code = isVendorError(thrown) ? thrown.code : 'unexpected';
  switch (code) {
    case 'auth':
      return { kind: 'pause-vendor', reason: 'auth', until: null, error };
    case 'usage-limit':
      return {
        kind: 'pause-vendor',
        reason: 'usage-limit',
        until: context.now + context.policy.usageLimitCooldownMs,
        error,
      };
    case 'rejected-input':
      return { kind: 'fail', error };
    default: {
      const delay = backoffDelay(job.attempts, context.policy.backoff, context.random);
      const at = context.now + delay;
      // A retry that would fall after the job's maximum age would never run: end it now, so
      // staff see it expired instead of waiting on it. Age is what the kiosk observed (see
      // queue-clock.ts), never now - createdAt: a wall clock set days ahead ends no job.
      if (job.ageMs + delay >= context.maxAgeMs) return { kind: 'expire', error };
      return { kind: 'retry', at, outcomeUnknown: code === 'outcome-unknown', error };
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
