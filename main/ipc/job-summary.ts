/** A queue job as the staff console sees it (see JobSummarySchema in preload/contract.ts). */
import type { JobSummary, ResultSummary } from '../../preload/contract.js';
import type { Job } from '../queue/job.js';
import { verdictOf, type VerificationResult } from '../../model/result-model.js';

/** `retentionMs`: how long a finished job is kept (its purge date follows from it). */
export function summarizeJob(job: Job, retentionMs: number | null = null): JobSummary {
  return {
    id: job.id,
    ticket: job.ticket,
    api: job.api,
    vendor: job.vendor,
    state: job.state,
    staffRef: job.staffRef,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    finishedAt: job.finishedAt,
    attempts: job.attempts,
    resends: job.resends,
    nextAttemptAt: job.nextAttemptAt,
    lastError: job.lastError,
    result: job.result === null ? null : withoutRawBody(job.result),
    verdict: job.result === null ? null : verdictOf(job.result),
    training: job.training,
    quality: job.quality,
    purgeAt: retentionMs === null || job.finishedAt === null ? null : job.finishedAt + retentionMs,
  };
}

/** The vendor's body as it came stays in the queue, for support; staff see the normalized result. */
function withoutRawBody(result: VerificationResult): ResultSummary {
  const { raw: _raw, ...summary } = result;
  return summary;
}
