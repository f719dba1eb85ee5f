/**
 * The job store's internals shared by its parts (job-store.ts, job-transitions.ts,
 * job-maintenance.ts): the open database, its prepared statements, the data key and the clock,
 * and the bookkeeping every change needs (tell listeners, reclaim space). Not exported from
 * the folder: everything outside goes through JobStore.
 */
import type { Database } from 'better-sqlite3';
import type { Clock } from './clock.js';
import { jobChangeOf, jobFromRow, type JobRow } from './job-rows.js';
import { prepareJobStatements, type JobStatements } from './job-statements.js';
import { JOB_STATES, type Job, type JobState } from './job.js';
import type { QueueEvents, QueueTotals } from './queue-events.js';
import { QueueError } from './queue-errors.js';

export class JobTable {
  readonly db: Database;
  readonly sql: JobStatements;
  readonly key: Buffer;
  readonly clock: Clock;
  readonly events: QueueEvents;
  #totalsScheduled = false;

  constructor(db: Database, key: Buffer, clock: Clock, events: QueueEvents) {
    this.db = db;
    this.sql = prepareJobStatements(db);
    this.key = key;
    this.clock = clock;
    this.events = events;
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
      return jobFromRow(row);
    } catch (error) {
      if (!(error instanceof QueueError)) throw error;
      this.write(() => {
        this.sql.failUnreadable.run({ id: row.id, now: this.clock.now(), message: error.message });
        this.sql.deleteImagesOfJob.run(row.id);
        this.reclaimSpace();
      });
      const again = this.sql.selectJob.get(row.id) as JobRow | undefined;
      try {
        return again ? jobFromRow(again) : null;
      } catch {
        return null;
      }
    }
  }

  totals(): QueueTotals {
    const totals = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as QueueTotals;
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
  }
}
