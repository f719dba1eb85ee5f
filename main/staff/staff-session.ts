/**
 * Staff signed in to the console, and when they are not any more: after idleMs with nothing
 * done (2 minutes by default: long enough to read a job's details, short enough that a clerk
 * who walks away does not leave the console open to the next customer), or at signOut(),
 * which the kiosk calls when a customer's way starts.
 *
 * Idle time is measured on the monotonic clock (a wall clock set while staff are signed in
 * neither ends the session nor stretches it). isSignedIn() asks the clock each time, so a test
 * that moves a ManualClock sees the session end; a timer also ends it on time in the app, and
 * tells onSignedOut so the UI can close the console.
 */
import { MINUTE, systemClock, type Clock } from '../clock/clock.js';
import { emitStaffEvent, type StaffEventHook, type StaffSignOutReason } from './staff-events.js';
import type { StaffPinStore, VerifyPinResult } from './staff-pin-store.js';

export const STAFF_IDLE_MS = 2 * MINUTE;

export interface StaffSessionOptions {
  pins: StaffPinStore;
  clock?: Clock;
  /** Signed out after this long with nothing done (default STAFF_IDLE_MS). */
  idleMs?: number;
  /** The audit hook: 'staff-signed-in', 'staff-signed-out'. */
  onEvent?: StaffEventHook;
  /** Told when a session ends, by idleness or signOut(), so the UI can close the console. */
  onSignedOut?: (reason: StaffSignOutReason) => void;
}

export class StaffSession {
  readonly idleMs: number;
  readonly #pins: StaffPinStore;
  readonly #clock: Clock;
  readonly #onEvent: StaffEventHook | undefined;
  readonly #onSignedOut: ((reason: StaffSignOutReason) => void) | undefined;
  /** Monotonic time of the last thing staff did; null when nobody is signed in. */
  #lastActivity: number | null = null;
  #timer: NodeJS.Timeout | undefined;
  /** Counts signOut() calls: one made while a PIN is being checked cancels that sign-in. */
  #signOuts = 0;

  constructor(options: StaffSessionOptions) {
    this.#pins = options.pins;
    this.#clock = options.clock ?? systemClock;
    this.idleMs = options.idleMs ?? STAFF_IDLE_MS;
    this.#onEvent = options.onEvent;
    this.#onSignedOut = options.onSignedOut;
    if (!(this.idleMs > 0)) throw new RangeError('idleMs must be a positive number of ms.');
  }

  /**
   * Checks the PIN (the lockout applies) and, when it is right, signs staff in, unless
   * signOut() was called while it was being checked (a customer's way started meanwhile).
   */
  async signIn(pin: string): Promise<VerifyPinResult> {
    const signOuts = this.#signOuts;
    const result = await this.#pins.verifyPin(pin);
    if (result.ok && signOuts === this.#signOuts) {
      this.#lastActivity = this.#clock.monotonic();
      this.#schedule();
      emitStaffEvent(this.#onEvent, 'staff-signed-in', { idleMs: this.idleMs });
    }
    return result;
  }

  /**
   * Keeps staff signed in across the kiosk switching between training and real mode (their
   * own credentials change restarts the services): a fresh idle period, no new sign-in event.
   */
  continueSignedIn(): void {
    this.#lastActivity = this.#clock.monotonic();
    this.#schedule();
  }

  /** Whether staff are signed in now; a session idle for idleMs ends here if not already. */
  isSignedIn(): boolean {
    this.#endIfIdle();
    return this.#lastActivity !== null;
  }

  /** Staff did something: the idle time starts again. False when the session had already ended. */
  touch(): boolean {
    if (!this.isSignedIn()) return false;
    this.#lastActivity = this.#clock.monotonic();
    this.#schedule();
    return true;
  }

  /** How long until the session ends for idleness; 0 when nobody is signed in. */
  msUntilIdle(): number {
    if (!this.isSignedIn()) return 0;
    return Math.max(0, this.#lastActivity! + this.idleMs - this.#clock.monotonic());
  }

  /** Signs out now (staff's button, or a customer's way starting); nothing if nobody is in. */
  signOut(): void {
    this.#signOuts += 1;
    this.#end('signed-out');
  }

  /**
   * Stops the idle timer and ends the session without a sign-out event: the kiosk is closing
   * ("app-stopped" says so) or switching mode (staff stay signed in, continueSignedIn).
   */
  close(): void {
    this.#signOuts += 1;
    this.#lastActivity = null;
    clearTimeout(this.#timer);
  }

  #endIfIdle(): void {
    if (this.#lastActivity === null) return;
    if (this.#clock.monotonic() - this.#lastActivity >= this.idleMs) this.#end('idle');
  }

  #end(reason: StaffSignOutReason): void {
    if (this.#lastActivity === null) return;
    this.#lastActivity = null;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    emitStaffEvent(this.#onEvent, 'staff-signed-out', { reason });
    try {
      this.#onSignedOut?.(reason);
    } catch {
      // The UI's trouble must not keep staff signed in: the session has ended either way.
    }
  }

  /** A timer for the moment the session would go idle; it asks the clock again when it fires. */
  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.#lastActivity === null) return;
    const left = this.#lastActivity + this.idleMs - this.#clock.monotonic();
    this.#timer = setTimeout(
      () => {
        this.#endIfIdle();
        this.#schedule();
      },
      Math.max(0, left),
    );
    // A signed-in console must not keep a CLI or a test process alive.
    this.#timer.unref();
  }
}
