/** A queue job as the staff console sees it (see JobSummarySchema in preload/contract.ts). */
import type { JobSummary } from '../../preload/contract.js';
import type { Job } from '../queue/job.js';
import { verdictOf } from '../vendors/result-model.js';

export function summarizeJob(job: Job): JobSummary {
  const { raw: _raw, ...result } = job.result ?? { raw: null };
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
    result: job.result === null ? null : (result as JobSummary['result']),
    verdict: job.result === null ? null : verdictOf(job.result),
  };
}
