/**
 * Vendors the delivery loop has stopped sending to, and why. Kept in memory: after a restart
 * the first send finds out again, at the cost of one refused request.
 *
 * A cool-down runs on the monotonic clock: a wall clock set a year back must not hold a vendor
 * paused for a year (nor one set ahead end it early). `until` is still wall time, for staff,
 * worked out afresh from the time left whenever it is read.
 */
import { createHash } from 'node:crypto';
import type { VendorId } from '../../../model/apis.js';
import type { VendorCredentials } from '../../../model/request.js';
import { systemClock, type Clock } from '../../clock/clock.js';
import type { VendorPause } from '../queue-events.js';

interface PauseEntry extends VendorPause {
  /** A hash of the credentials that were refused (never the credentials themselves). */
  refusedCredentials: string | null;
  /** When the cool-down ends, on the monotonic clock; null: it waits for someone to act. */
  endsAtMonotonic: number | null;
}

export class VendorPauses {
  readonly #paused = new Map<VendorId, PauseEntry>();
  readonly #clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  /** pause.until is read as "this long from now" (wall time now, the decision's clock). */
  pause(pause: VendorPause, refused: VendorCredentials | null): void {
    this.#paused.set(pause.vendor, {
      ...pause,
      refusedCredentials: refused && fingerprint(refused),
      endsAtMonotonic:
        pause.until === null
          ? null
          : this.#clock.monotonic() + Math.max(0, pause.until - this.#clock.now()),
    });
  }

  resume(vendor: VendorId): boolean {
    return this.#paused.delete(vendor);
  }

  isPaused(vendor: VendorId): boolean {
    return this.#paused.has(vendor);
  }

  /** The pauses, each cool-down's end in wall time as the clock now reads. */
  list(): VendorPause[] {
    return [...this.#paused.values()].map(
      ({ refusedCredentials: _, endsAtMonotonic, ...pause }) => ({
        ...pause,
        until: endsAtMonotonic === null ? null : this.#wallTimeOf(endsAtMonotonic),
      }),
    );
  }

  /** Pauses whose cool-down has run out. */
  expired(): VendorId[] {
    const now = this.#clock.monotonic();
    return [...this.#paused.values()]
      .filter((pause) => pause.endsAtMonotonic !== null && pause.endsAtMonotonic <= now)
      .map((pause) => pause.vendor);
  }

  /** Vendors waiting for someone to fix their credentials or the keychain. */
  waitingForCredentials(): VendorId[] {
    return [...this.#paused.values()]
      .filter((pause) => pause.until === null)
      .map((pause) => pause.vendor);
  }

  /** The earliest time a cool-down ends, in wall time as the clock now reads. */
  nextExpiry(): number | null {
    const ends = [...this.#paused.values()].flatMap((pause) =>
      pause.endsAtMonotonic === null ? [] : [pause.endsAtMonotonic],
    );
    return ends.length === 0 ? null : this.#wallTimeOf(Math.min(...ends));
  }

  #wallTimeOf(monotonic: number): number {
    return this.#clock.now() + Math.max(0, monotonic - this.#clock.monotonic());
  }

  /** True when these credentials differ from the ones the vendor refused. */
  credentialsChanged(vendor: VendorId, current: VendorCredentials): boolean {
    const entry = this.#paused.get(vendor);
    return entry !== undefined && entry.refusedCredentials !== fingerprint(current);
  }
}

function fingerprint(credentials: VendorCredentials): string {
  return createHash('sha256').update(JSON.stringify(credentials)).digest('hex');
}
