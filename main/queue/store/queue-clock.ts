/**
 * The queue's time, which a jump of the wall clock cannot fool. Kiosks lose their clock: a flat
 * CMOS battery boots one years behind, NTP corrects it hours later. Judged by the wall clock
 * alone, a correction forward would expire every job at once and one backward would leave a
 * retry waiting for years.
 *
 * So the queue keeps an observed clock: the time the kiosk has actually seen pass. One anchor
 * row (queue_clock) holds the wall and monotonic readings of the last tick, the boot they were
 * taken in, and the observed clock then. A tick measures the time since the anchor:
 *
 * - Same boot: the monotonic delta, trusted. The wall delta less that is the jump: more than
 *   JUMP_TOLERANCE_MS either way, or the wall clock going back at all, is a clock jump.
 * - Across a reboot the monotonic clock started again, so only the wall delta is left: what it
 *   says went forward is taken as time switched off (a kiosk off for a week did see the week go
 *   by, for expiry), and a backward delta is a jump (the time cannot be negative).
 *
 * A job's age is the observed clock now less its observed_at (the observed clock when it was
 * queued): expiry never reads `now - created_at`. On a jump, stored retry and lease times are
 * moved by the jump, so each keeps the real delay it meant, and 'clock-jump' is emitted (the
 * event log records it). A suspended machine's monotonic clock stops, so a long sleep counts as
 * a forward jump: the kiosk did not observe that time and jobs do not age by it.
 *
 * Ticks run before every statement that compares or writes a wall time or an age (claim, lease
 * renewal, sweep, recovery, enqueue, a failure's decision): mostly a one-row read, a write
 * only on a jump, a new boot, or once a minute to keep the anchor recent.
 */
import type { Database } from 'better-sqlite3';
import { MINUTE, type Clock } from '../../clock/clock.js';
import type { JobStatements } from './job-statements.js';
import type { ClockJump } from '../queue-events.js';

/**
 * How far the wall clock may drift from the monotonic clock between ticks before it counts as
 * a jump. 5 min: far above NTP's slewing or a few seconds' step at boot (not worth an event),
 * far below what would matter for a 72-hour maximum age or a 10-minute backoff cap.
 */
export const JUMP_TOLERANCE_MS = 5 * MINUTE;

/** A tick with nothing else to write moves the anchor forward at most this often. */
const ANCHOR_REFRESH_MS = MINUTE;

export interface ClockReading {
  /** The wall clock now: every stored time (retries, leases, created_at) is in it. */
  now: number;
  /** The queue's observed clock now, in ms: ages are differences on it. */
  observed: number;
}

export interface TickOutcome {
  reading: ClockReading;
  jump: ClockJump | null;
  /** Jobs whose retry time a jump moved (their change is worth telling the UI). */
  rebased: string[];
}

interface Anchor {
  wall_ms: number;
  mono_ms: number;
  boot_id: string;
  observed_ms: number;
}

interface Instant {
  wall: number;
  mono: number;
  boot: string;
}

interface Measured {
  observed: number;
  sameBoot: boolean;
  /** Wall delta less the time that passed: the amount the wall clock was set by. */
  jumpMs: number;
  isJump: boolean;
  /** The anchor is old enough to move forward. */
  stale: boolean;
}

function measure(anchor: Anchor, at: Instant): Measured {
  const wallDelta = at.wall - anchor.wall_ms;
  // The monotonic clock never goes back within a boot: if it did, the boot id was wrong.
  const sameBoot = at.boot === anchor.boot_id && at.mono >= anchor.mono_ms;
  const elapsed = sameBoot ? at.mono - anchor.mono_ms : Math.max(0, wallDelta);
  const jumpMs = wallDelta - elapsed;
  return {
    observed: anchor.observed_ms + elapsed,
    sameBoot,
    jumpMs,
    isJump: wallDelta < 0 || Math.abs(jumpMs) > JUMP_TOLERANCE_MS,
    stale: elapsed >= ANCHOR_REFRESH_MS,
  };
}

export class QueueTime {
  readonly #db: Database;
  readonly #sql: JobStatements;
  readonly #clock: Clock;
  /** The last anchor read or written, for ages shown on reads (see observedNow). */
  #anchor: Anchor | undefined;

  constructor(db: Database, sql: JobStatements, clock: Clock) {
    this.#db = db;
    this.#sql = sql;
    this.#clock = clock;
    // A new queue, or one just migrated from schema 1, gets its anchor at once so every job has
    // an age from the start. Best effort: a file that cannot be written now (the CLI reading a
    // read-only queue) gets it at its first tick, where a storage error is reported properly.
    try {
      if (this.#sql.selectClock.get() === undefined) this.tick();
    } catch {
      this.#anchor = undefined;
    }
  }

  /**
   * The observed clock now, for a job's age as it is read: no write, and no jump detection (a
   * tick does that). Within one boot every anchor gives the same answer, so the last one seen
   * serves: another process's tick does not change it.
   */
  observedNow(): number {
    this.#anchor ??= this.#sql.selectClock.get() as Anchor | undefined;
    return this.#anchor ? measure(this.#anchor, this.#instant()).observed : 0;
  }

  /** Reads the clocks against the anchor; writes only when something has to change. */
  tick(): TickOutcome {
    const anchor = this.#sql.selectClock.get() as Anchor | undefined;
    if (anchor) {
      this.#anchor = anchor;
      const at = this.#instant();
      const m = measure(anchor, at);
      if (m.sameBoot && !m.isJump && !m.stale) {
        return { reading: { now: at.wall, observed: m.observed }, jump: null, rebased: [] };
      }
    }
    // Under the write lock, and measured again: another process may have just moved the anchor
    // (and re-based for this very jump).
    return this.#db.transaction(() => this.#advance()).immediate();
  }

  #advance(): TickOutcome {
    const anchor = this.#sql.selectClock.get() as Anchor | undefined;
    const at = this.#instant();
    if (anchor === undefined) {
      const observed = 0;
      this.#sql.startObservedAges.run({ observed, now: at.wall });
      this.#save(at, observed);
      return { reading: { now: at.wall, observed }, jump: null, rebased: [] };
    }
    const m = measure(anchor, at);
    let jump: ClockJump | null = null;
    let rebased: string[] = [];
    if (m.isJump) {
      jump = { jumpMs: m.jumpMs, at: at.wall, acrossReboot: !m.sameBoot };
      const moved = this.#sql.rebaseRetries.all({ jump: m.jumpMs }) as { id: string }[];
      rebased = moved.map((row) => row.id);
      this.#sql.rebaseLeases.run({ jump: m.jumpMs });
    }
    if (m.isJump || !m.sameBoot || m.stale) this.#save(at, m.observed);
    return { reading: { now: at.wall, observed: m.observed }, jump, rebased };
  }

  #save(at: Instant, observed: number): void {
    this.#sql.saveClock.run({ wall: at.wall, mono: at.mono, boot: at.boot, observed });
    this.#anchor = { wall_ms: at.wall, mono_ms: at.mono, boot_id: at.boot, observed_ms: observed };
  }

  #instant(): Instant {
    return {
      wall: this.#clock.now(),
      mono: this.#clock.monotonic(),
      boot: this.#clock.bootId(),
    };
  }
}
