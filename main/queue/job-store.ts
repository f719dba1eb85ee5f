/**
 * The durable, encrypted job store: one SQLite file, shared by the app and the CLI. Every
 * method is synchronous and runs a few small statements; transitions that must happen together
 * (a result and 'done'; 'failed' and deleting the images) are one transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { VENDOR_OF_API, type VendorId } from '../vendors/apis.js';
import type { VerificationRequest } from '../vendors/request.js';
import type { VerificationResult } from '../vendors/result-model.js';
import { DAY, HOUR, systemClock, type Clock } from './clock.js';
import { openRequestImages, sealRequestImages, type ImageRow } from './job-images.js';
import { recoverInterrupted, sweep, type SweepOutcome } from './job-maintenance.js';
import type { JobRow } from './job-rows.js';
import { JobTable } from './job-table.js';
import {
  claimNext,
  finishJob,
  releaseClaim,
  scheduleRetry,
  storeResult,
  type RetryPlan,
  type StoreResultOutcome,
} from './job-transitions.js';
import {
  NewJobSchema,
  isTerminal,
  optionsOf,
  type Job,
  type JobError,
  type NewJob,
} from './job.js';
import { isProcessAlive, type LeaseOwner } from './lease-owner.js';
import { openQueueDatabase } from './open-queue-database.js';
import { createQueueEvents, type QueueEvents, type QueueTotals } from './queue-events.js';
import { QueueError } from './queue-errors.js';
import { newTicket, normalizeTicket } from './ticket.js';

export type { RetryPlan, StoreResultOutcome, SweepOutcome };

export interface JobStoreOptions {
  /** The SQLite file; see data-dir.ts for the default place. */
  file: string;
  /** The 32-byte data key from the keychain (getOrCreateQueueDataKey). */
  dataKey: Buffer;
  clock?: Clock;
  events?: QueueEvents;
  platform?: NodeJS.Platform;
  /** A job not delivered within this long expires (default 72 h: a long weekend offline). */
  maxAgeMs?: number;
  /** Finished jobs and their results are purged after this long (default 30 days). */
  retentionMs?: number;
}

export class JobStore {
  readonly file: string;
  readonly events: QueueEvents;
  readonly maxAgeMs: number;
  readonly retentionMs: number;
  readonly #table: JobTable;

  /** Opens (creating, migrating) the store's file. */
  static open(options: JobStoreOptions): JobStore {
    return new JobStore(openQueueDatabase(options.file, { platform: options.platform }), options);
  }

  private constructor(db: Database, options: JobStoreOptions) {
    if (options.dataKey.length !== 32) {
      db.close();
      throw new RangeError('The queue data key must be 32 bytes.');
    }
    this.file = options.file;
    this.events = options.events ?? createQueueEvents();
    this.maxAgeMs = options.maxAgeMs ?? 72 * HOUR;
    this.retentionMs = options.retentionMs ?? 30 * DAY;
    const key = Buffer.from(options.dataKey);
    this.#table = new JobTable(db, key, options.clock ?? systemClock, this.events);
  }

  /** Durably queues one verification; returns once it is committed. Idempotent by id. */
  enqueue(newJob: NewJob): Job {
    const parsed = NewJobSchema.safeParse(newJob);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'job';
      throw new QueueError(
        'invalid-job',
        `Cannot queue this verification: ${where}: ${issue?.message}.`,
      );
    }
    const t = this.#table;
    const id = newJob.id ?? randomUUID();
    const existing = t.get(id);
    if (existing) return existing;
    const { request, consent } = newJob;
    // Encrypt before taking the write lock: the lock is held only for the inserts.
    const images = sealRequestImages(t.key, id, request);
    const row = {
      id,
      api: request.api,
      vendor: VENDOR_OF_API[request.api],
      options: JSON.stringify(optionsOf(request)),
      staffRef: newJob.staffRef ?? null,
      consentAt: consent.acceptedAt,
      consentTextVersion: consent.textVersion,
      now: t.clock.now(),
      attempts: newJob.priorAttempt ? 1 : 0,
      resends: newJob.priorAttempt?.outcomeUnknown === true ? 1 : 0,
      lastErrorCode: newJob.priorAttempt?.error.code ?? null,
      lastErrorMessage: newJob.priorAttempt?.error.message ?? null,
    };
    for (let tries = 1; ; tries += 1) {
      try {
        t.write(() => {
          t.sql.insertJob.run({ ...row, ticket: newTicket() });
          for (const image of images) t.sql.insertImage.run({ job_id: id, ...image });
        });
        break;
      } catch (error) {
        // The ticket is already taken: draw another (rare; see ticket.ts).
        if (tries < 5 && isTicketCollision(error)) continue;
        throw error;
      }
    }
    return t.changed(id) as Job;
  }

  get(id: string): Job | null {
    return this.#table.get(id);
  }

  /** Finds a job by the code the customer holds (any case, spaces or dashes allowed). */
  getByTicket(ticket: string): Job | null {
    const row = this.#table.sql.selectJobByTicket.get(normalizeTicket(ticket));
    return this.#table.read(row as JobRow | undefined);
  }

  /** Newest first. A row that cannot be read is marked failed and left out. */
  list(limit = 500): Job[] {
    const rows = this.#table.sql.selectJobs.all(limit) as JobRow[];
    return rows.map((row) => this.#table.read(row)).filter((job): job is Job => job !== null);
  }

  totals(): QueueTotals {
    return this.#table.totals();
  }

  /** Jobs of a vendor not yet finished (queued, sending or waiting to retry). */
  pendingCount(vendor: VendorId): number {
    return (this.#table.sql.countPendingOfVendor.get(vendor) as { n: number }).n;
  }

  /**
   * Atomically takes the oldest due job of a vendor for sending, or returns null. The lease
   * lets another drainer take the job over if this one dies; renew it while the send runs.
   */
  claimNext(vendor: VendorId, owner: LeaseOwner, leaseMs: number): Job | null {
    return claimNext(this.#table, vendor, owner, leaseMs, this.maxAgeMs);
  }

  renewLease(id: string, owner: LeaseOwner, leaseMs: number): boolean {
    const leaseUntil = this.#table.clock.now() + leaseMs;
    return this.#table.sql.renewLease.run({ id, owner: owner.id, leaseUntil }).changes === 1;
  }

  /** Decrypts a job's images back into the gateway request; throws QueueError if unreadable. */
  loadRequest(job: Job): VerificationRequest {
    const rows = this.#table.sql.selectImages.all(job.id) as ImageRow[];
    return openRequestImages(this.#table.key, job, rows);
  }

  /** Stores the result and marks the job done, in one transaction, at most once per job. */
  storeResult(id: string, result: VerificationResult): StoreResultOutcome {
    return storeResult(this.#table, id, result);
  }

  /** Puts a job this drainer is sending back to wait until plan.at. */
  scheduleRetry(id: string, owner: LeaseOwner, plan: RetryPlan): boolean {
    return scheduleRetry(this.#table, id, owner, plan);
  }

  /** Returns a claimed job to 'queued' without counting the attempt (its vendor is paused). */
  releaseClaim(
    id: string,
    owner: LeaseOwner,
    error: JobError | null,
    outcomeUnknown = false,
  ): boolean {
    return releaseClaim(this.#table, id, owner, error, outcomeUnknown);
  }

  /** Ends a job that is not finished yet as 'failed' or 'expired', deleting its images. */
  finish(id: string, state: 'failed' | 'expired', reason: JobError): boolean {
    return finishJob(this.#table, id, state, reason);
  }

  /** At start-up: sends interrupted by a crash go back to the queue (see job-maintenance.ts). */
  recoverInterrupted(isAlive: (pid: number) => boolean = isProcessAlive): number {
    return recoverInterrupted(this.#table, isAlive);
  }

  /** Expires jobs past the maximum age and purges finished jobs past retention. */
  sweep(): SweepOutcome {
    return sweep(this.#table, this.maxAgeMs, this.retentionMs);
  }

  /** The network is back: jobs waiting only because of it become due now. */
  makeNetworkRetriesDue(): number {
    const due = this.#table.sql.makeNetworkRetriesDue.all({ now: this.#table.clock.now() });
    for (const { id } of due as { id: string }[]) this.#table.changed(id);
    return due.length;
  }

  /** When the vendor next has a job to claim, other than queued ones (null: none waiting). */
  nextWakeAt(vendor: VendorId, owner: LeaseOwner): number | null {
    const row = this.#table.sql.nextWakeOfVendor.get({ vendor, owner: owner.id });
    return (row as { at: number | null }).at;
  }

  /** Staff asked to send a waiting job now. */
  retryNow(id: string): Job {
    const job = this.#require(id);
    if (job.state === 'sending') {
      throw new QueueError('invalid-state', `Job ${job.ticket} is being sent right now.`);
    }
    if (isTerminal(job.state)) {
      throw new QueueError(
        'invalid-state',
        `Job ${job.ticket} has ended (${job.state}) and its images are deleted; verify the customer again.`,
      );
    }
    this.#table.sql.makeDueNow.run({ id, now: this.#table.clock.now() });
    return this.#table.changed(id) as Job;
  }

  /** Staff gave up on a job: it ends as failed, its images deleted at once. */
  discard(id: string): Job {
    const job = this.#require(id);
    if (isTerminal(job.state)) {
      throw new QueueError('invalid-state', `Job ${job.ticket} has already ended (${job.state}).`);
    }
    this.finish(id, 'failed', { code: 'discarded', message: 'Discarded by staff.' });
    return this.#require(id);
  }

  close(): void {
    this.#table.key.fill(0);
    if (this.#table.db.open) this.#table.db.close();
  }

  #require(id: string): Job {
    const job = this.#table.get(id);
    if (!job) throw new QueueError('not-found', `No job ${id} in the queue.`);
    return job;
  }
}

function isTicketCollision(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && String(message).includes('jobs.ticket');
}
