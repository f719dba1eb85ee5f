/**
 * The delivery side of a job's life: claimed for sending, then done (with its result), back to
 * wait, back to the queue, or ended. Each transition is guarded by the state (and, while
 * sending, the lease owner) it expects, so a stale drainer can never overwrite a newer state.
 */
import type { VendorId } from '../../../model/apis.js';
import { VerificationResultSchema, type VerificationResult } from '../../../model/result-model.js';
import type { JobTable } from './job-table.js';
import type { Job, JobError } from '../job.js';
import type { LeaseOwner } from '../lease-owner.js';

export type StoreResultOutcome = 'stored' | 'already-finished';

export function claimNext(
  table: JobTable,
  vendor: VendorId,
  owner: LeaseOwner,
  limits: { leaseMs: number; maxAgeMs: number; retryCapMs: number; training: boolean },
): Job | null {
  const { leaseMs, maxAgeMs, retryCapMs } = limits;
  for (;;) {
    const { now, observed } = table.tick();
    const claimed = table.write(
      () =>
        table.sql.claimNext.get({
          vendor,
          training: limits.training ? 1 : 0,
          now,
          oldestAllowed: observed - maxAgeMs,
          // No retry is scheduled further ahead than the backoff cap, no lease further than
          // its length: see the statement.
          horizon: now + Math.max(retryCapMs, leaseMs),
          owner: owner.id,
          pid: owner.pid,
          host: owner.host,
          leaseUntil: now + leaseMs,
        }) as { id: string } | undefined,
    );
    if (!claimed) return null;
    const job = table.changed(claimed.id);
    // null or not 'sending': the row was damaged and has just been failed; take the next one.
    if (job?.state === 'sending') return job;
  }
}

export function storeResult(
  table: JobTable,
  id: string,
  result: VerificationResult,
): StoreResultOutcome {
  const json = JSON.stringify(VerificationResultSchema.parse(result));
  const now = table.clock.now();
  const stored = table.write(() => {
    if (table.sql.storeResult.run({ id, result: json, now }).changes !== 1) return false;
    table.sql.deleteImagesOfJob.run(id);
    table.reclaimSpace();
    return true;
  });
  if (!stored) return 'already-finished';
  table.changed(id);
  return 'stored';
}

export interface RetryPlan {
  at: number;
  error: JobError;
  /** The failed send may have reached the vendor: the next one is counted as a resend. */
  outcomeUnknown: boolean;
}

export function scheduleRetry(
  table: JobTable,
  id: string,
  owner: LeaseOwner,
  plan: RetryPlan,
): boolean {
  const changed = table.sql.scheduleRetry.run({
    id,
    owner: owner.id,
    at: plan.at,
    now: table.clock.now(),
    code: plan.error.code,
    message: plan.error.message,
    resend: plan.outcomeUnknown ? 1 : 0,
  }).changes;
  table.changed(id);
  return changed === 1;
}

export function releaseClaim(
  table: JobTable,
  id: string,
  owner: LeaseOwner,
  error: JobError | null,
  outcomeUnknown: boolean,
): boolean {
  const changed = table.sql.releaseClaim.run({
    id,
    owner: owner.id,
    now: table.clock.now(),
    code: error?.code ?? null,
    message: error?.message ?? null,
    resend: outcomeUnknown ? 1 : 0,
  }).changes;
  table.changed(id);
  return changed === 1;
}

/** Ends a job that is not finished yet, deleting its images in the same transaction. */
export function finishJob(
  table: JobTable,
  id: string,
  state: 'failed' | 'expired',
  reason: JobError,
): boolean {
  const now = table.clock.now();
  const changed = table.write(() => {
    const n = table.sql.finish.run({
      id,
      state,
      now,
      code: reason.code,
      message: reason.message,
    }).changes;
    table.sql.deleteImagesOfJob.run(id);
    table.reclaimSpace();
    return n === 1;
  });
  table.changed(id);
  return changed;
}
