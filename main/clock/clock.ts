/**
 * Time for the queue, injected so tests can move it (retention, expiry, backoff, pauses).
 *
 * Two clocks, because a kiosk's wall clock is not to be trusted: a flat CMOS battery boots it
 * years behind, NTP corrects it hours later. The wall clock (now) dates what staff see and what
 * the vendors get; the monotonic clock measures how much time has really passed. See
 * queue-clock.ts for how the queue uses both.
 */
import { readFileSync } from 'node:fs';
import { hostname, uptime } from 'node:os';

export interface Clock {
  /** Wall time: milliseconds since the Unix epoch. It can jump either way when it is set. */
  now(): number;
  /**
   * Milliseconds on a clock that only moves forward, at the pace of real time, from an origin
   * shared by every process on the machine until it restarts (so the app and the CLI agree).
   */
  monotonic(): number;
  /** Names the machine's current boot: monotonic readings compare only within one boot. */
  bootId(): string;
}

let cachedBootId: string | undefined;

export const systemClock: Clock = {
  now: () => Date.now(),
  // libuv's hrtime: CLOCK_MONOTONIC on Linux, mach_absolute_time on macOS, QPC on Windows; all
  // count from boot, system-wide. (performance.now() would count from this process's start.)
  monotonic: () => Number(process.hrtime.bigint() / 1_000_000n),
  bootId: () => (cachedBootId ??= readBootId()),
};

/**
 * Linux gives each boot a random id. Elsewhere: the host and its boot time, rounded to 10 min.
 * That boot time is the wall clock less the uptime, so it moves when the wall clock jumps; it is
 * read once per process, so only two processes started on either side of a jump disagree, and
 * then the queue falls back to what it does across a reboot (queue-clock.ts).
 */
function readBootId(): string {
  try {
    const id = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    if (id) return id;
  } catch {
    // Not Linux (or no /proc): use the fallback.
  }
  const bootedAt = Date.now() - uptime() * 1_000;
  return `${hostname()}@${Math.round(bootedAt / (10 * MINUTE))}`;
}

/**
 * The test twin: time stands still until a test moves it. advance() lets time pass (both clocks
 * move); jumpWall() and set() only set the wall clock, as NTP or a person would; reboot()
 * restarts the machine.
 */
export class ManualClock implements Clock {
  #wall: number;
  #monotonic = 0;
  #boot = 1;

  constructor(start: number | Date = Date.UTC(2025, 0, 6, 9, 0, 0)) {
    this.#wall = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.#wall;
  }

  monotonic(): number {
    return this.#monotonic;
  }

  bootId(): string {
    return `manual-boot-${this.#boot}`;
  }

  /** Time passes: the wall and the monotonic clock move together. */
  advance(ms: number): void {
    this.#wall += ms;
    this.#monotonic += ms;
  }

  /** The wall clock is set forward (or back, ms < 0); no time passes. */
  jumpWall(ms: number): void {
    this.#wall += ms;
  }

  /** The wall clock is set to this time; no time passes (a jump: use advance() to wait). */
  set(time: number | Date): void {
    this.#wall = typeof time === 'number' ? time : time.getTime();
  }

  /**
   * The machine restarts after being off for downMs: a new boot whose monotonic clock starts
   * again, and a wall clock that reads `wall` if given (a flat battery), else moved by downMs.
   */
  reboot(options: { downMs?: number; wall?: number | Date } = {}): void {
    const { downMs = 0, wall } = options;
    this.#boot += 1;
    this.#monotonic = 0;
    this.#wall =
      wall === undefined ? this.#wall + downMs : typeof wall === 'number' ? wall : wall.getTime();
  }
}

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
