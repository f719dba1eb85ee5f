/**
 * The job store's internals shared by its parts (job-store.ts, job-transitions.ts,
 * job-maintenance.ts): the open database, its prepared statements, the data key and the clock,
 * and the bookkeeping every change needs (tell listeners, reclaim space). Not exported from
 * the folder: everything outside goes through JobStore.
 */
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../clock/clock.js';
import { jobChangeOf, jobFromRow, type JobRow } from './job-rows.js';
import { prepareJobStatements, type JobStatements } from './job-statements.js';
import type { Job, JobState } from '../job.js';
import { QueueTime, type ClockReading } from './queue-clock.js';
import { zeroTotals, type QueueEvents, type QueueTotals } from '../queue-events.js';
import { QueueError } from '../queue-errors.js';

/**
 * After images are deleted, the WAL still holds their ciphertext until a checkpoint copies the
 * pages back and the log is truncated. One TRUNCATE checkpoint once deletions pause for this
 * long, not one per job: each costs fsyncs, and a truncated WAL makes the next commits grow the
 * file again (measured: +0.5 ms per enqueue when it was truncated every second of a drain).
 */
const CHECKPOINT_QUIET_MS = 1_000;
/** During a long drain, finished jobs' images linger in the WAL at most this long. */
const CHECKPOINT_MAX_DELAY_MS = 30_000;

export class JobTable {
  readonly db: Database;
  readonly sql: JobStatements;
  readonly clock: Clock;
  readonly events: QueueEvents;
  readonly file: string;
  /** Ages and wall-clock jumps: see queue-clock.ts. */
  readonly time: QueueTime;
  #key: Buffer | null;
  #totalsScheduled = false;
  #checkpointTimer: NodeJS.Timeout | undefined;
  /** When the oldest deletion not yet checkpointed happened (monotonic ms), or null. */
  #uncheckpointedSince: number | null = null;

  constructor(db: Database, key: Buffer | null, clock: Clock, events: QueueEvents, file: string) {
    this.db = db;
    this.sql = prepareJobStatements(db);
    this.#key = key;
    this.clock = clock;
    this.events = events;
    this.file = file;
    this.time = new QueueTime(db, this.sql, clock);
  }

  /** The data key; a store opened without one refuses what needs it. */
  get key(): Buffer {
    if (this.#key === null) {
      throw new QueueError(
        'no-data-key',
        'The queue was opened without its data key: this command cannot encrypt or decrypt images.',
      );
    }
    return this.#key;
  }

  useKey(key: Buffer): void {
    if (key.length !== 32) throw new RangeError('The queue data key must be 32 bytes.');
    this.#key?.fill(0);
    this.#key = Buffer.from(key);
  }

  /** Bytes the file may still take under its size limit (max_page_count), counting free pages. */
  roomInFileBytes(): number {
    const pragma = (name: string): number => this.db.pragma(name, { simple: true }) as number;
    const pages = pragma('max_page_count') - pragma('page_count') + pragma('freelist_count');
    return pages * pragma('page_size');
  }

  setMaxBytes(bytes: number | null): void {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    // SQLite's own ceiling when no limit is set (2^32 - 2 pages).
    const pages = bytes === null ? 4294967294 : Math.max(1, Math.floor(bytes / pageSize));
    this.db.pragma(`max_page_count = ${pages}`);
  }

  /** Zeroes the key, checkpoints what is pending and closes the file. */
  close(): void {
    clearTimeout(this.#checkpointTimer);
    this.#key?.fill(0);
    if (!this.db.open) return;
    this.checkpoint();
    this.db.close();
  }

  /**
   * Copies the WAL into the file and truncates it, so deleted images' ciphertext leaves the log.
   * A reader holding an old snapshot makes it partial; the next one finishes the work.
   */
  checkpoint(): void {
    clearTimeout(this.#checkpointTimer);
    this.#checkpointTimer = undefined;
    this.#uncheckpointedSince = null;
    try {
      if (this.db.open) this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Busy (another process is writing) or a disk problem the next write will report.
    }
  }

  /**
   * Reads the clocks before a decision on time (queue-clock.ts). A jump found here has already
   * re-based the stored times; it is reported, with the retries it moved.
   */
  tick(): ClockReading {
    const { reading, jump, rebased } = this.time.tick();
    if (jump) {
      this.events.emit('clock-jump', jump);
      for (const id of rebased) this.changed(id);
    }
    return reading;
  }

  /** Runs `work` as one BEGIN IMMEDIATE transaction: the write lock is taken up front. */
  write<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  get(id: string): Job | null {
    return this.read(this.sql.selectJob.get(id) as JobRow | undefined);
  }

  /** Parses a row; a damaged one is failed in place (never crashes a caller) and yields null. */
  read(row: JobRow | undefined): Job | null {
    if (!row) return null;
    try {
      return jobFromRow(row, this.time.observedNow());
    } catch (error) {
      if (!(error instanceof QueueError)) throw error;
      this.write(() => {
        this.sql.failUnreadable.run({ id: row.id, now: this.clock.now(), message: error.message });
        this.sql.deleteImagesOfJob.run(row.id);
        this.reclaimSpace();
      });
      const again = this.sql.selectJob.get(row.id) as JobRow | undefined;
      try {
        return again ? jobFromRow(again, this.time.observedNow()) : null;
      } catch {
        return null;
      }
    }
  }

  totals(): QueueTotals {
    const totals = zeroTotals();
    for (const { state, n } of this.sql.countByState.all() as { state: JobState; n: number }[]) {
      totals[state] = n;
    }
    return totals;
  }

  /** Reads a job after a change and tells listeners. */
  changed(id: string): Job | null {
    const job = this.get(id);
    if (job && this.events.listenerCount('job-changed') > 0) {
      this.events.emit('job-changed', jobChangeOf(job));
    }
    this.totalsChanged();
    return job;
  }

  /** Totals are counted at most once per turn of the event loop, and only when someone listens. */
  totalsChanged(): void {
    if (this.#totalsScheduled || this.events.listenerCount('totals') === 0) return;
    this.#totalsScheduled = true;
    setImmediate(() => {
      this.#totalsScheduled = false;
      if (this.db.open) this.events.emit('totals', this.totals());
    });
  }

  /**
   * Returns pages freed by deleted images to the file system (auto_vacuum is INCREMENTAL), so a
   * day of verifications does not leave the file holding a day of images' worth of space.
   * Called inside the transaction that deleted them: one commit (one fsync) instead of two.
   */
  reclaimSpace(): void {
    this.db.pragma('incremental_vacuum');
    const now = performance.now();
    this.#uncheckpointedSince ??= now;
    const latest = this.#uncheckpointedSince + CHECKPOINT_MAX_DELAY_MS;
    clearTimeout(this.#checkpointTimer);
    this.#checkpointTimer = setTimeout(
      () => this.checkpoint(),
      Math.max(0, Math.min(CHECKPOINT_QUIET_MS, latest - now)),
    ).unref();
  }
}
