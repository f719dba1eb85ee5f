/**
 * The durable, encrypted job store: one SQLite file, shared by the app and the CLI. Every
 * method is synchronous and runs a few small statements; transitions that must happen together
 * (a result and 'done'; 'failed' and deleting the images) are one transaction.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, renameSync, statfsSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { VENDOR_OF_API, type VendorId } from '../../../model/apis.js';
import type { VerificationRequest } from '../../../model/request.js';
import { VerificationResultSchema, type VerificationResult } from '../../../model/result-model.js';
import { DEFAULT_BACKOFF } from '../delivery/backoff.js';
import { DAY, HOUR, systemClock, type Clock } from '../../clock/clock.js';
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
} from '../job.js';
import { isProcessAlive, type LeaseOwner } from '../lease-owner.js';
import { openQueueDatabase } from './open-queue-database.js';
import { createQueueEvents, type QueueEvents, type QueueTotals } from '../queue-events.js';
import { QueueError } from '../queue-errors.js';
import { StorageError, storageErrorOf, withStorage } from './storage-errors.js';
import { salvageJobs, type SalvageReport } from './salvage.js';
import {
  keepUnrecordedResults,
  readUnrecordedResults,
  type UnrecordedResult,
} from './unrecorded-results.js';
import { newTicket, normalizeTicket } from './ticket.js';

export type { RetryPlan, SalvageReport, StoreResultOutcome, SweepOutcome };

export interface JobStoreOptions {
  /** The SQLite file; see data-dir.ts for the default place. */
  file: string;
  /**
   * The 32-byte data key from the keychain (getOrCreateQueueDataKey). Without it (null) the
   * store lists, shows and changes jobs but cannot enqueue or decrypt: what `queue list` needs
   * while the key is unavailable. useDataKey() adds it later.
   */
  dataKey: Buffer | null;
  clock?: Clock;
  events?: QueueEvents;
  platform?: NodeJS.Platform;
  /** A job not delivered within this long expires (default 72 h: a long weekend offline). */
  maxAgeMs?: number;
  /** Finished jobs and their results are purged after this long (default 30 days). */
  retentionMs?: number;
  /**
   * The most the database file may grow to (SQLite's max_page_count); enqueue refuses a job
   * that would not fit. Default: only the disk's free space limits it.
   */
  maxBytes?: number;
  /**
   * A file that is damaged (not a database, a corrupt page) is moved aside and a new queue is
   * opened in its place, so the kiosk keeps queueing (default). false: throw StorageError.
   */
  moveAsideDamaged?: boolean;
  /**
   * Training mode (default off): jobs enqueued are marked as training jobs, and only training
   * jobs are claimed for delivery (to the embedded emulator). Off: only real jobs are, so a
   * practice verification never reaches a real vendor. setTrainingMode() switches it.
   */
  training?: boolean;
}

/**
 * Free space enqueue leaves on the disk: room for the answers of the jobs already queued and
 * for the event log, so a full disk is refused at enqueue, never at the moment a vendor's
 * answer must be stored.
 */
const DISK_RESERVE_BYTES = 1024 * 1024;

/** Refuses a job the schema does not allow, naming the field: `what` says what was refused. */
function checkNewJob(newJob: Omit<NewJob, 'priorAttempt'>, what: string): void {
  const parsed = NewJobSchema.safeParse(newJob);
  if (parsed.success) return;
  const issue = parsed.error.issues[0];
  throw new QueueError(
    'invalid-job',
    `${what}: ${issue?.path.join('.') || 'job'}: ${issue?.message}.`,
  );
}

interface AttemptColumns {
  attempts: number;
  resends: number;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
}

/** A job row's columns as insertJob takes them (the ticket and the times are added there). */
interface JobInsertRow extends AttemptColumns {
  id: string;
  api: string;
  vendor: string;
  options: string;
  staffRef: string | null;
  consentAt: string;
  consentTextVersion: string;
  training: 0 | 1;
  quality: string | null;
}

export class JobStore {
  readonly file: string;
  readonly events: QueueEvents;
  #maxAgeMs: number;
  #retentionMs: number;
  #training: boolean;
  /** Where a damaged file found at open was moved (kept for `queue recover`), else null. */
  readonly movedAside: string | null;
  readonly #table: JobTable;

  /** A job not delivered within this long expires at the next sweep. */
  get maxAgeMs(): number {
    return this.#maxAgeMs;
  }

  /** Finished jobs and their results are purged this long after they finished. */
  get retentionMs(): number {
    return this.#retentionMs;
  }

  /**
   * New limits from the settings, in force from the next sweep (no restart): a shorter
   * retention purges what it no longer covers then; a job already expired stays expired.
   */
  setLimits(limits: { maxAgeMs?: number; retentionMs?: number }): void {
    for (const value of [limits.maxAgeMs, limits.retentionMs]) {
      if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
        throw new RangeError('Queue limits must be positive numbers of ms.');
      }
    }
    if (limits.maxAgeMs !== undefined) this.#maxAgeMs = limits.maxAgeMs;
    if (limits.retentionMs !== undefined) this.#retentionMs = limits.retentionMs;
  }

  /**
   * Opens (creating, migrating) the store's file. A damaged file is moved aside and replaced by
   * a new, empty queue (see movedAside); a disk that cannot be written throws StorageError.
   */
  static open(options: JobStoreOptions): JobStore {
    const open = (): Database =>
      withStorage(options.file, () =>
        openQueueDatabase(options.file, { platform: options.platform }),
      );
    try {
      return new JobStore(open(), options, null);
    } catch (error) {
      const storage = storageErrorOf(error, options.file);
      if (storage?.problem !== 'damaged' || options.moveAsideDamaged === false) {
        throw storage ?? error;
      }
      const movedAside = moveAside(options.file, (options.clock ?? systemClock).now());
      return new JobStore(open(), options, movedAside);
    }
  }

  private constructor(db: Database, options: JobStoreOptions, movedAside: string | null) {
    if (options.dataKey !== null && options.dataKey.length !== 32) {
      db.close();
      throw new RangeError('The queue data key must be 32 bytes.');
    }
    this.file = options.file;
    this.movedAside = movedAside;
    this.events = options.events ?? createQueueEvents();
    this.#maxAgeMs = options.maxAgeMs ?? 72 * HOUR;
    this.#retentionMs = options.retentionMs ?? 30 * DAY;
    this.#training = options.training ?? false;
    const key = options.dataKey === null ? null : Buffer.from(options.dataKey);
    this.#table = new JobTable(db, key, options.clock ?? systemClock, this.events, this.file);
    if (options.maxBytes !== undefined) this.#table.setMaxBytes(options.maxBytes);
  }

  /**
   * Changes the file's size limit while open (a setting changed without a restart); null
   * lifts it. SQLite never sets it below the file's current size.
   */
  setMaxBytes(bytes: number | null): void {
    this.#io(() => this.#table.setMaxBytes(bytes));
  }

  /** Adds the data key to a store opened without one. */
  useDataKey(key: Buffer): void {
    this.#table.useKey(key);
  }

  /**
   * Which data keys the stored images are sealed with, and how many jobs hold images: what
   * getOrCreateQueueDataKey must find in the keychain. Reads no image.
   */
  sealedWith(): { keyIds: string[]; jobs: number } {
    return this.#io(() => {
      const keyIds = this.#table.sql.selectSealingKeys.all() as { key_id: string }[];
      const { n } = this.#table.sql.countJobsWithImages.get() as { n: number };
      return { keyIds: keyIds.map((row) => row.key_id), jobs: n };
    });
  }

  /** Durably queues one verification; returns once it is committed. Idempotent by id. */
  enqueue(newJob: NewJob): Job {
    checkNewJob(newJob, 'Cannot queue this verification');
    const t = this.#table;
    const id = newJob.id ?? randomUUID();
    const existing = this.#io(() => t.get(id));
    if (existing) return existing;
    // Encrypt before taking the write lock: the lock is held only for the inserts.
    const images = sealRequestImages(t.key, id, newJob.request);
    const imageBytes = images.reduce((sum, image) => sum + image.ciphertext.length, 0);
    this.#checkDiskRoomFor(imageBytes);
    const prior = newJob.priorAttempt;
    const row = this.#rowOf(newJob, id, {
      attempts: prior ? 1 : 0,
      resends: prior?.outcomeUnknown === true ? 1 : 0,
      lastErrorCode: prior?.error.code ?? null,
      lastErrorMessage: prior?.error.message ?? null,
    });
    // One transaction, so the lock is taken once: the size check (refusing before anything is
    // written), the clock's tick (its age starts on the observed clock, queue-clock.ts;
    // created_at is for staff), the inserts.
    this.#insertWithTicket(row, () => {
      this.#checkFileRoomFor(imageBytes);
      return () => {
        for (const image of images) t.sql.insertImage.run({ job_id: id, ...image });
      };
    });
    return this.#io(() => t.changed(id) as Job);
  }

  /**
   * A verification the vendor answered while the customer waited: kept as a finished job
   * (no images, ever) so staff find its result, ticket and quality report in the console's
   * results list until the retention period ends. Only the totals are announced: it was never
   * queued nor delivered, and the audit trail has the session's own entries for it.
   */
  recordAnswered(newJob: Omit<NewJob, 'priorAttempt'>, result: VerificationResult): Job {
    checkNewJob(newJob, 'Cannot keep this result');
    const t = this.#table;
    const id = newJob.id ?? randomUUID();
    const resultJson = JSON.stringify(VerificationResultSchema.parse(result));
    const row = this.#rowOf(newJob, id, {
      attempts: 1,
      resends: 0,
      lastErrorCode: null,
      lastErrorMessage: null,
    });
    this.#insertWithTicket(row, () => () => {
      t.sql.storeResult.run({ id, result: resultJson, now: t.clock.now() });
    });
    const job = this.#io(() => t.get(id)) as Job;
    this.events.emit('totals', this.totals());
    return job;
  }

  #rowOf(newJob: Omit<NewJob, 'priorAttempt'>, id: string, attempt: AttemptColumns): JobInsertRow {
    const { request, consent } = newJob;
    return {
      id,
      api: request.api,
      vendor: VENDOR_OF_API[request.api],
      options: JSON.stringify(optionsOf(request)),
      staffRef: newJob.staffRef ?? null,
      consentAt: consent.acceptedAt,
      consentTextVersion: consent.textVersion,
      ...attempt,
      training: this.#training ? 1 : 0,
      quality: newJob.quality ? JSON.stringify(newJob.quality) : null,
    };
  }

  /**
   * Inserts a job row with a new ticket in one write transaction: `before` runs first inside
   * it (a size check) and returns what runs after the insert (images, a result). A ticket
   * already taken draws another (rare; see ticket.ts); SQLITE_FULL and friends roll the whole
   * transaction back, so nothing partial is left.
   */
  #insertWithTicket(row: JobInsertRow, before: () => () => void): void {
    const t = this.#table;
    for (let tries = 1; ; tries += 1) {
      try {
        t.write(() => {
          const after = before();
          const { now, observed } = t.tick();
          t.sql.insertJob.run({ ...row, now, observedAt: observed, ticket: newTicket() });
          after();
        });
        return;
      } catch (error) {
        if (tries < 5 && isTicketCollision(error)) continue;
        throw storageErrorOf(error, this.file) ?? error;
      }
    }
  }

  /**
   * Refuses a job that would not fit on the disk, before anything is written: its free space,
   * less a reserve for the answers still to come. A WAL commit writes the pages twice (the log,
   * then the checkpoint), so twice the images' size is asked for.
   */
  #checkDiskRoomFor(imageBytes: number): void {
    let free: number;
    try {
      const fs = statfsSync(path.dirname(this.file));
      free = fs.bavail * fs.bsize;
    } catch {
      return; // No answer from the file system: SQLite's own SQLITE_FULL still guards the write.
    }
    if (free < 2 * imageBytes + 64 * 1024 + DISK_RESERVE_BYTES) {
      throw new StorageError('full', this.file);
    }
  }

  /** The same against the file's own size limit (maxBytes); run under the write lock. */
  #checkFileRoomFor(imageBytes: number): void {
    if (this.#table.roomInFileBytes() < imageBytes + 32 * 1024) {
      throw new StorageError('full', this.file);
    }
  }

  get(id: string): Job | null {
    return this.#io(() => this.#table.get(id));
  }

  /** Finds a job by the code the customer holds (any case, spaces or dashes allowed). */
  getByTicket(ticket: string): Job | null {
    return this.#io(() => {
      const row = this.#table.sql.selectJobByTicket.get(normalizeTicket(ticket));
      return this.#table.read(row as JobRow | undefined);
    });
  }

  /** Newest first. A row that cannot be read is marked failed and left out. */
  list(limit = 500): Job[] {
    return this.#io(() => {
      const rows = this.#table.sql.selectJobs.all(limit) as JobRow[];
      return rows.map((row) => this.#table.read(row)).filter((job): job is Job => job !== null);
    });
  }

  /**
   * One page of the jobs still to deliver ('pending') or finished ('finished'), newest first,
   * and how many there are in all: the staff console's lists, which show 10,000 jobs by
   * fetching only the rows on screen. `ticketPrefix` keeps the tickets that start with it.
   */
  page(options: {
    which: 'pending' | 'finished';
    offset: number;
    limit: number;
    ticketPrefix?: string;
  }): { total: number; jobs: Job[] } {
    const prefix = `${normalizeTicket(options.ticketPrefix ?? '').replace(/[^A-Z0-9]/g, '')}%`;
    const pending = options.which === 'pending';
    return this.#io(() => {
      const sql = this.#table.sql;
      const rows = (pending ? sql.pagePending : sql.pageTerminal).all({
        prefix,
        limit: options.limit,
        offset: options.offset,
      }) as JobRow[];
      const { n } = (pending ? sql.countPending : sql.countTerminal).get({ prefix }) as {
        n: number;
      };
      const jobs = rows
        .map((row) => this.#table.read(row))
        .filter((job): job is Job => job !== null);
      return { total: n, jobs };
    });
  }

  totals(): QueueTotals {
    return this.#io(() => this.#table.totals());
  }

  /** Whether this store makes and delivers training jobs (see JobStoreOptions.training). */
  get trainingMode(): boolean {
    return this.#training;
  }

  /** Switches training mode: later enqueues are marked, and claims take only that kind. */
  setTrainingMode(training: boolean): void {
    this.#training = training;
  }

  /** Jobs of this mode's kind, of a vendor, not yet finished (queued, sending or waiting to retry). */
  pendingCount(vendor: VendorId): number {
    return this.#io(
      () =>
        (this.#table.sql.countPendingOfVendor.get(vendor, this.#training ? 1 : 0) as { n: number })
          .n,
    );
  }

  /**
   * Atomically takes the oldest due job of a vendor for sending, or returns null. The lease
   * lets another drainer take the job over if this one dies; renew it while the send runs.
   * retryCapMs: the policy's longest backoff (no retry waits longer than that from now).
   */
  claimNext(
    vendor: VendorId,
    owner: LeaseOwner,
    leaseMs: number,
    retryCapMs = DEFAULT_BACKOFF.capMs,
  ): Job | null {
    return this.#io(() =>
      claimNext(this.#table, vendor, owner, {
        leaseMs,
        maxAgeMs: this.maxAgeMs,
        retryCapMs,
        training: this.#training,
      }),
    );
  }

  renewLease(id: string, owner: LeaseOwner, leaseMs: number): boolean {
    return this.#io(() => {
      // After a tick: a jump it finds re-bases leases, and must not re-base this new one.
      const leaseUntil = this.#table.tick().now + leaseMs;
      return this.#table.sql.renewLease.run({ id, owner: owner.id, leaseUntil }).changes === 1;
    });
  }

  /**
   * How long the job has been queued, as the kiosk observed it (queue-clock.ts), now; null if
   * there is no such job. What a decision on its maximum age goes by.
   */
  ageMs(id: string): number | null {
    return this.#io(() => {
      const { observed } = this.#table.tick();
      const row = this.#table.sql.selectObservedAt.get(id) as { observed_at: number } | undefined;
      return row === undefined ? null : Math.max(0, observed - row.observed_at);
    });
  }

  /** Decrypts a job's images back into the gateway request; throws QueueError if unreadable. */
  loadRequest(job: Job): VerificationRequest {
    const rows = this.#io(() => this.#table.sql.selectImages.all(job.id) as ImageRow[]);
    return openRequestImages(this.#table.key, job, rows);
  }

  /** Stores the result and marks the job done, in one transaction, at most once per job. */
  storeResult(id: string, result: VerificationResult): StoreResultOutcome {
    return this.#io(() => storeResult(this.#table, id, result));
  }

  /** Puts a job this drainer is sending back to wait until plan.at. */
  scheduleRetry(id: string, owner: LeaseOwner, plan: RetryPlan): boolean {
    return this.#io(() => scheduleRetry(this.#table, id, owner, plan));
  }

  /** Returns a claimed job to 'queued' without counting the attempt (its vendor is paused). */
  releaseClaim(
    id: string,
    owner: LeaseOwner,
    error: JobError | null,
    outcomeUnknown = false,
  ): boolean {
    return this.#io(() => releaseClaim(this.#table, id, owner, error, outcomeUnknown));
  }

  /** Ends a job that is not finished yet as 'failed' or 'expired', deleting its images. */
  finish(id: string, state: 'failed' | 'expired', reason: JobError): boolean {
    return this.#io(() => finishJob(this.#table, id, state, reason));
  }

  /** At start-up: sends interrupted by a crash go back to the queue (see job-maintenance.ts). */
  recoverInterrupted(isAlive: (pid: number) => boolean = isProcessAlive): number {
    return this.#io(() => recoverInterrupted(this.#table, isAlive));
  }

  /** Expires jobs past the maximum age and purges finished jobs past retention. */
  sweep(): SweepOutcome {
    return this.#io(() => sweep(this.#table, this.maxAgeMs, this.retentionMs));
  }

  /** The network is back: jobs waiting only because of it become due now. */
  makeNetworkRetriesDue(): number {
    return this.#io(() => {
      const due = this.#table.sql.makeNetworkRetriesDue.all({ now: this.#table.tick().now });
      for (const { id } of due as { id: string }[]) this.#table.changed(id);
      return due.length;
    });
  }

  /** When the vendor next has a job to claim, other than queued ones (null: none waiting). */
  nextWakeAt(vendor: VendorId, owner: LeaseOwner): number | null {
    return this.#io(() => {
      const row = this.#table.sql.nextWakeOfVendor.get({
        vendor,
        owner: owner.id,
        training: this.#training ? 1 : 0,
      });
      return (row as { at: number | null }).at;
    });
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
    return this.#io(() => {
      this.#table.sql.makeDueNow.run({ id, now: this.#table.clock.now() });
      return this.#table.changed(id) as Job;
    });
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

  /** Brings every readable job of a damaged queue file into this queue (see salvage.ts). */
  salvageFrom(damagedFile: string): SalvageReport {
    const report = this.#io(() => salvageJobs(this.#table, damagedFile));
    // Answers received for those jobs while their file was failing can be stored now.
    this.applyUnrecordedResults();
    return report;
  }

  /**
   * Stores the answers a storage failure kept out of the database (unrecorded-results.ts), so
   * their jobs are not sent again; returns how many were stored. Answers for jobs not in this
   * queue (still in a damaged file, to be recovered) are kept.
   */
  applyUnrecordedResults(): number {
    const entries = readUnrecordedResults(this.file);
    if (entries.length === 0) return 0;
    const kept: UnrecordedResult[] = [];
    let stored = 0;
    for (const entry of entries) {
      if (this.get(entry.jobId) === null) kept.push(entry);
      else if (this.storeResult(entry.jobId, entry.result) === 'stored') stored += 1;
    }
    keepUnrecordedResults(this.file, kept);
    return stored;
  }

  close(): void {
    this.#table.close();
  }

  /** Runs a store call; what SQLite or the disk throws about storage becomes StorageError. */
  #io<T>(work: () => T): T {
    return withStorage(this.file, work);
  }

  #require(id: string): Job {
    const job = this.get(id);
    if (!job) throw new QueueError('not-found', `No job ${id} in the queue.`);
    return job;
  }
}

function isTicketCollision(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && String(message).includes('jobs.ticket');
}

/**
 * Moves a damaged database (and its -wal and -shm) aside under a dated name, next to where it
 * was: kept for `kiosk-verify queue recover`, never deleted. Returns the new path.
 */
function moveAside(file: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const target = `${file}.damaged-${stamp}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix))
      withStorage(file, () => renameSync(file + suffix, target + suffix));
  }
  return target;
}
