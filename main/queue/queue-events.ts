/**
 * What the queue tells the UI and the CLI. Payloads are small and carry no images, results'
 * raw bodies or credentials; the UI fetches a job by id when it needs more.
 */
import type { ApiId, VendorId } from '../../model/apis.js';
import { JOB_STATES, type VendorPauseReason } from '../../model/jobs.js';
import type { JobError, JobState } from './job.js';
import type { StorageProblem } from './store/storage-errors.js';
import { TypedEmitter } from './typed-emitter.js';

export interface JobChange {
  id: string;
  ticket: string;
  api: ApiId;
  state: JobState;
  attempts: number;
  resends: number;
  nextAttemptAt: number | null;
  lastError: JobError | null;
}

export type QueueTotals = Record<JobState, number>;

/** Every state at zero: the start of a count, and what a store that cannot be read reports. */
export function zeroTotals(): QueueTotals {
  return Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as QueueTotals;
}

export interface StorageProblemEvent {
  problem: StorageProblem;
  file: string;
  /** For staff: what happened and what to do. */
  message: string;
  unrecorded: number;
}

/**
 * The wall clock moved against the time that really passed (see queue-clock.ts): the queue's
 * stored retry and lease times were moved by the same amount, and no job aged by it.
 */
export interface ClockJump {
  /** How far the wall clock moved beyond the time that passed: > 0 forward, < 0 back. */
  jumpMs: number;
  /** The wall time when the jump was found (after it). */
  at: number;
  /** Found across a reboot, where only a backward move can be told from time switched off. */
  acrossReboot: boolean;
}

/** "n of m": finished since the queue was last empty, out of finished plus still pending. */
export interface DrainProgress {
  finished: number;
  total: number;
}

export type { VendorPauseReason };

export interface VendorPause {
  vendor: VendorId;
  reason: VendorPauseReason;
  /** For staff: what happened and what to do. */
  message: string;
  /** When delivery resumes by itself; null when it waits for someone to act. */
  until: number | null;
}

export interface QueueEventMap {
  'job-changed': JobChange;
  totals: QueueTotals;
  'drain-progress': DrainProgress;
  'vendor-paused': VendorPause;
  'vendor-resumed': { vendor: VendorId };
  connectivity: { online: boolean };
  /** Something unexpected the delivery loop survived (e.g. the database was busy). */
  'delivery-problem': { message: string };
  /**
   * The queue's storage failed (disk full, read-only, damaged): delivery stopped until it can
   * record outcomes again. `unrecorded`: answers received but not yet stored (kept in memory,
   * their write retried; those jobs are not sent again). Cleared by 'storage-recovered'.
   */
  'storage-problem': StorageProblemEvent;
  'storage-recovered': { file: string };
  /** The wall clock was set while the queue ran (logged for IT; see ClockJump). */
  'clock-jump': ClockJump;
}

export type QueueEvents = TypedEmitter<QueueEventMap>;

export function createQueueEvents(): QueueEvents {
  let reporting = false;
  const events: QueueEvents = new TypedEmitter<QueueEventMap>((error) => {
    // A throwing subscriber is reported once, never re-thrown into the loop (and a throwing
    // 'delivery-problem' subscriber does not report itself forever).
    if (reporting) return;
    reporting = true;
    try {
      const message = error instanceof Error ? error.message : String(error);
      events.emit('delivery-problem', { message: `An event listener failed: ${message}` });
    } finally {
      reporting = false;
    }
  });
  return events;
}
