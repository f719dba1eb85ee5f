/**
 * The staff PIN and its lockout, in `<dataDir>/staff-pin.json` (0600, written atomically: a
 * temporary file synced and renamed over the old one). The file holds the PIN's scrypt hash
 * with its salt and parameters, the count of wrong tries and the lockout's end, so a restart
 * resets neither. It is read again at every call: a PIN IT resets from the command line while
 * the kiosk runs takes effect at once, and two stores on one folder agree.
 *
 * Calls on one store run one at a time, so two tries at once cannot both pass under the count.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { MINUTE, systemClock, type Clock } from '../clock/clock.js';
import {
  hashPin,
  isOutdated,
  PIN_SCRYPT,
  pinMatches,
  PinHashSchema,
  type ScryptParams,
} from './pin-hash.js';
import { assertUsablePin, isPinFormat } from './pin-rules.js';
import { StaffError } from './staff-errors.js';
import { emitStaffEvent, type StaffEventHook } from './staff-events.js';

export const STAFF_PIN_FILE = 'staff-pin.json';

/** Five wrong tries, then five minutes locked: a clerk's typos pass, a guesser gets ~1,440 a day. */
export const MAX_PIN_TRIES = 5;
export const PIN_LOCK_MS = 5 * MINUTE;

export type StaffPinState = 'not-set' | 'set';

export type VerifyPinResult =
  | { ok: true }
  | { ok: false; reason: 'wrong-pin'; triesLeft: number }
  /** `until`: wall time (ms since the epoch) the lock ends; `msLeft`: how long that is. */
  | { ok: false; reason: 'locked'; until: number; msLeft: number };

export type StaffPinStatus =
  | { state: 'not-set' }
  | { state: 'set'; locked: false; triesLeft: number; setAt: string }
  | { state: 'set'; locked: true; until: number; msLeft: number; setAt: string };

export interface StaffPinStoreOptions {
  /** The kiosk's data folder (created 0700 if missing). */
  dataDir: string;
  clock?: Clock;
  /** The audit hook: 'pin-set', 'pin-failed', 'staff-locked-out'. */
  onEvent?: StaffEventHook;
  maxTries?: number;
  lockMs?: number;
  /** The scrypt parameters for new hashes (default PIN_SCRYPT); stored ones verify as stored. */
  scrypt?: ScryptParams;
}

/**
 * A lock is timed on the monotonic clock while the machine stays up (a wall clock set forward
 * must not end it early, nor set back stretch it). After a reboot the monotonic clock starts
 * again, so the lock is timed once by its wall-clock end, never longer than a whole lock from
 * now (a clock a year behind must not lock staff out for a year), and anchored again to the
 * new boot's monotonic clock (`ms` is then what was left).
 */
const LockSchema = z.object({
  until: z.number().int(),
  startedAtMonotonic: z.number(),
  bootId: z.string(),
  ms: z.number().int().positive(),
});
type PinLock = z.infer<typeof LockSchema>;

const PinFileSchema = z.object({
  version: z.literal(1),
  pin: PinHashSchema,
  setAt: z.string(),
  failures: z.number().int().min(0),
  lock: LockSchema.nullable(),
});
type PinFile = z.infer<typeof PinFileSchema>;

export class StaffPinStore {
  readonly file: string;
  readonly #dataDir: string;
  readonly #clock: Clock;
  readonly #onEvent: StaffEventHook | undefined;
  readonly #maxTries: number;
  readonly #lockMs: number;
  readonly #scrypt: ScryptParams;
  /** The tail of the calls queued on this store: each waits for the one before. */
  #tail: Promise<unknown> = Promise.resolve();

  constructor(options: StaffPinStoreOptions) {
    this.#dataDir = options.dataDir;
    this.file = join(options.dataDir, STAFF_PIN_FILE);
    this.#clock = options.clock ?? systemClock;
    this.#onEvent = options.onEvent;
    this.#maxTries = options.maxTries ?? MAX_PIN_TRIES;
    this.#lockMs = options.lockMs ?? PIN_LOCK_MS;
    this.#scrypt = options.scrypt ?? PIN_SCRYPT;
  }

  /** 'not-set' until the first PIN (the console's first start asks staff for one). */
  async state(): Promise<StaffPinState> {
    return (await this.status()).state;
  }

  /** Whether a PIN is set and whether the console is locked out; never the PIN. */
  status(): Promise<StaffPinStatus> {
    return this.#exclusive(async () => {
      const record = await this.#load();
      if (record === null) return { state: 'not-set' };
      const msLeft = this.#lockLeft(record.lock);
      if (msLeft > 0) {
        const until = this.#clock.now() + msLeft;
        return { state: 'set', locked: true, until, msLeft, setAt: record.setAt };
      }
      const failures = record.lock === null ? record.failures : 0;
      return {
        state: 'set',
        locked: false,
        triesLeft: this.#maxTries - failures,
        setAt: record.setAt,
      };
    });
  }

  /** The first PIN. Refuses a weak or malformed one, and refuses when one is already set. */
  async setPin(pin: string): Promise<void> {
    assertUsablePin(pin);
    return this.#exclusive(async () => {
      if ((await this.#load()) !== null) {
        throw new StaffError(
          'pin-already-set',
          'A staff PIN is already set. Change it with the current PIN, or ask IT to reset it ' +
            '("kiosk-verify staff set-pin").',
        );
      }
      await this.#write(await this.#newRecord(pin));
      emitStaffEvent(this.#onEvent, 'pin-set', { how: 'first', lockCleared: false });
    });
  }

  /**
   * Checks a PIN. A wrong one counts towards the lockout, and the try that reaches it returns
   * 'locked'; while locked every PIN, the right one too, is refused with the time left.
   */
  verifyPin(pin: string): Promise<VerifyPinResult> {
    return this.#exclusive(() => this.#check(pin));
  }

  /** Changes the PIN, given the current one (a wrong one counts as a wrong try). */
  async changePin(current: string, next: string): Promise<VerifyPinResult> {
    assertUsablePin(next);
    return this.#exclusive(async () => {
      const result = await this.#check(current);
      if (!result.ok) return result;
      if (next === current) {
        throw new StaffError(
          'same-pin',
          'The new PIN is the same as the current one. Choose a different PIN.',
        );
      }
      await this.#write(await this.#newRecord(next));
      emitStaffEvent(this.#onEvent, 'pin-set', { how: 'changed', lockCleared: false });
      return result;
    });
  }

  /**
   * IT's reset (`kiosk-verify staff set-pin`): sets the PIN whatever was there, a damaged file
   * included, and clears the wrong tries and any lockout.
   */
  async resetPin(pin: string): Promise<{ replaced: boolean; lockCleared: boolean }> {
    assertUsablePin(pin);
    return this.#exclusive(async () => {
      let previous: PinFile | null;
      let replaced: boolean;
      try {
        previous = await this.#read();
        replaced = previous !== null;
      } catch (error) {
        if (!(error instanceof StaffError) || error.code !== 'pin-file-unreadable') throw error;
        previous = null;
        replaced = true;
      }
      const lockCleared =
        previous !== null && (this.#lockLeft(previous.lock) > 0 || previous.failures > 0);
      await this.#write(await this.#newRecord(pin));
      emitStaffEvent(this.#onEvent, 'pin-set', { how: 'reset', lockCleared });
      return { replaced, lockCleared };
    });
  }

  /** Checks the PIN against the file and records the outcome; the caller holds the turn. */
  async #check(pin: string): Promise<VerifyPinResult> {
    const record = await this.#load();
    if (record === null) {
      throw new StaffError(
        'pin-not-set',
        'No staff PIN is set yet. Set one first (6 to 12 digits).',
      );
    }
    const lockLeft = this.#lockLeft(record.lock);
    if (lockLeft > 0) {
      return { ok: false, reason: 'locked', until: this.#clock.now() + lockLeft, msLeft: lockLeft };
    }
    // A lock that is over starts a fresh count of tries.
    const lockEnded = record.lock !== null;
    const failures = lockEnded ? 0 : record.failures;
    // A malformed PIN cannot be the right one: it is a wrong try, without a hash.
    const right = isPinFormat(pin) && (await pinMatches(pin, record.pin));
    if (right) {
      if (isOutdated(record.pin, this.#scrypt)) {
        await this.#write(await this.#newRecord(pin, record.setAt));
      } else if (failures > 0 || lockEnded) {
        await this.#write({ ...record, failures: 0, lock: null });
      }
      return { ok: true };
    }
    const failed = failures + 1;
    if (failed < this.#maxTries) {
      // Written before the answer is given: cutting the power after a wrong answer must not
      // give the try back.
      await this.#write({ ...record, failures: failed, lock: null });
      const triesLeft = this.#maxTries - failed;
      emitStaffEvent(this.#onEvent, 'pin-failed', { triesLeft });
      return { ok: false, reason: 'wrong-pin', triesLeft };
    }
    const lock: PinLock = {
      until: this.#clock.now() + this.#lockMs,
      startedAtMonotonic: this.#clock.monotonic(),
      bootId: this.#clock.bootId(),
      ms: this.#lockMs,
    };
    await this.#write({ ...record, failures: failed, lock });
    emitStaffEvent(this.#onEvent, 'pin-failed', { triesLeft: 0 });
    emitStaffEvent(this.#onEvent, 'staff-locked-out', {
      until: new Date(lock.until).toISOString(),
      failedTries: failed,
    });
    return { ok: false, reason: 'locked', until: lock.until, msLeft: lock.ms };
  }

  /** Milliseconds the lock has left, 0 when there is none or it is over. */
  #lockLeft(lock: PinLock | null): number {
    if (lock === null) return 0;
    const left =
      lock.bootId === this.#clock.bootId()
        ? lock.startedAtMonotonic + lock.ms - this.#clock.monotonic()
        : Math.min(lock.until - this.#clock.now(), lock.ms);
    return Math.max(0, left);
  }

  async #newRecord(pin: string, setAt?: string): Promise<PinFile> {
    return {
      version: 1,
      pin: await hashPin(pin, this.#scrypt),
      setAt: setAt ?? new Date(this.#clock.now()).toISOString(),
      failures: 0,
      lock: null,
    };
  }

  /** The file, with a lock made before a reboot anchored to this boot (see LockSchema). */
  async #load(): Promise<PinFile | null> {
    const record = await this.#read();
    if (!record?.lock || record.lock.bootId === this.#clock.bootId()) return record;
    const left = Math.max(0, Math.min(record.lock.until - this.#clock.now(), record.lock.ms));
    const anchored: PinFile =
      left > 0
        ? {
            ...record,
            lock: {
              until: this.#clock.now() + left,
              startedAtMonotonic: this.#clock.monotonic(),
              bootId: this.#clock.bootId(),
              ms: left,
            },
          }
        : { ...record, failures: 0, lock: null };
    try {
      await this.#write(anchored);
    } catch {
      // A read-only disk: this call uses the anchored lock, the next one anchors it again.
    }
    return anchored;
  }

  /** The file, checked; null when there is none. Damaged is never "not set": IT resets it. */
  async #read(): Promise<PinFile | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw this.#unreadable(`it cannot be read: ${(error as Error).message}`, error);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw this.#unreadable('it is not valid JSON', error);
    }
    const parsed = PinFileSchema.safeParse(json);
    if (!parsed.success) throw this.#unreadable('it is not a staff PIN file this kiosk can use');
    return parsed.data;
  }

  #unreadable(why: string, cause?: unknown): StaffError {
    // The console stays locked: a damaged file must never read as "no PIN yet", which would
    // let anyone set one.
    return new StaffError(
      'pin-file-unreadable',
      `The staff PIN file ${this.file} cannot be used (${why}), so the staff console stays ` +
        'locked. IT: run "kiosk-verify staff set-pin" as the kiosk\'s OS account to set a new PIN.',
      { cause },
    );
  }

  async #write(record: PinFile): Promise<void> {
    const temporary = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(this.#dataDir, { recursive: true, mode: 0o700 });
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(record, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.file);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw new StaffError(
        'pin-file-unwritable',
        `The staff PIN file ${this.file} cannot be written (${(error as Error).message}); ` +
          'nothing was changed. Free some disk space or check the folder is writable by the ' +
          "kiosk's OS account, then try again.",
        { cause: error },
      );
    }
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(work, work);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}
