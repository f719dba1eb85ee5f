/**
 * Vendors the delivery loop has stopped sending to, and why. Kept in memory: after a restart
 * the first send finds out again, at the cost of one refused request.
 */
import { createHash } from 'node:crypto';
import type { VendorId } from '../vendors/apis.js';
import type { VendorCredentials } from '../vendors/request.js';
import type { VendorPause } from './queue-events.js';

interface PauseEntry extends VendorPause {
  /** A hash of the credentials that were refused (never the credentials themselves). */
  refusedCredentials: string | null;
}

export class VendorPauses {
  readonly #paused = new Map<VendorId, PauseEntry>();

  pause(pause: VendorPause, refused: VendorCredentials | null): void {
    this.#paused.set(pause.vendor, {
      ...pause,
      refusedCredentials: refused && fingerprint(refused),
    });
  }

  resume(vendor: VendorId): boolean {
    return this.#paused.delete(vendor);
  }

  isPaused(vendor: VendorId): boolean {
    return this.#paused.has(vendor);
  }

  list(): VendorPause[] {
    return [...this.#paused.values()].map(({ refusedCredentials: _, ...pause }) => pause);
  }

  /** Pauses whose cool-down has run out. */
  expired(now: number): VendorId[] {
    return [...this.#paused.values()]
      .filter((pause) => pause.until !== null && pause.until <= now)
      .map((pause) => pause.vendor);
  }

  /** Vendors waiting for someone to fix their credentials or the keychain. */
  waitingForCredentials(): VendorId[] {
    return [...this.#paused.values()]
      .filter((pause) => pause.until === null)
      .map((pause) => pause.vendor);
  }

  /** The earliest time a cool-down ends. */
  nextExpiry(): number | null {
    const times = [...this.#paused.values()].flatMap((pause) =>
      pause.until === null ? [] : [pause.until],
    );
    return times.length === 0 ? null : Math.min(...times);
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
