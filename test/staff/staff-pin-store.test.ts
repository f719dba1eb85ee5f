/**
 * The staff PIN as staff and IT meet it: the first start asks for one, weak and malformed ones
 * are refused, five wrong tries lock the console for five minutes (across a restart too), and
 * the file on disk holds no PIN. Real files in a temporary folder, a ManualClock for time.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE, SECOND } from '../../main/clock/clock.js';
import { PIN_SCRYPT } from '../../main/staff/pin-hash.js';
import type { StaffEventType } from '../../main/staff/staff-events.js';
import { StaffPinStore, type StaffPinStoreOptions } from '../../main/staff/staff-pin-store.js';

const PIN = '482915';
const OTHER = '730164';

let dir: string;
let clock: ManualClock;
let events: { type: StaffEventType; details: Record<string, unknown> }[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kv-staff-'));
  clock = new ManualClock();
  events = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A store on the folder, as the kiosk opens it at each start. */
function open(options: Partial<StaffPinStoreOptions> = {}): StaffPinStore {
  return new StaffPinStore({
    dataDir: dir,
    clock,
    onEvent: (type, details) => events.push({ type, details }),
    ...options,
  });
}

async function fail(store: StaffPinStore, times: number): Promise<unknown[]> {
  const results: unknown[] = [];
  for (let i = 0; i < times; i += 1) results.push(await store.verifyPin(OTHER));
  return results;
}

describe('the staff PIN', () => {
  it('is not set at first start, and verifying then says to set one', async () => {
    const store = open();
    expect(await store.state()).toBe('not-set');
    expect(await store.status()).toEqual({ state: 'not-set' });
    await expect(store.verifyPin(PIN)).rejects.toMatchObject({ code: 'pin-not-set' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('once set, accepts the right PIN and refuses a wrong one with the tries left', async () => {
    const store = open();
    await store.setPin(PIN);
    expect(await store.state()).toBe('set');
    expect(await store.verifyPin(PIN)).toEqual({ ok: true });
    expect(await store.verifyPin(OTHER)).toEqual({ ok: false, reason: 'wrong-pin', triesLeft: 4 });
    expect(await store.verifyPin('48291')).toEqual({
      ok: false,
      reason: 'wrong-pin',
      triesLeft: 3,
    });
    // The right PIN resets the count.
    expect(await store.verifyPin(PIN)).toEqual({ ok: true });
    expect(await store.status()).toMatchObject({ state: 'set', locked: false, triesLeft: 5 });
    expect(events.map((event) => event.type)).toEqual(['pin-set', 'pin-failed', 'pin-failed']);
    expect(events[1]!.details).toEqual({ triesLeft: 4 });
  });

  it('is set once: a second setPin is refused, changePin needs the current PIN', async () => {
    const store = open();
    await store.setPin(PIN);
    await expect(store.setPin(OTHER)).rejects.toMatchObject({ code: 'pin-already-set' });
    expect(await store.changePin(OTHER, '915372')).toEqual({
      ok: false,
      reason: 'wrong-pin',
      triesLeft: 4,
    });
    await expect(store.changePin(PIN, PIN)).rejects.toMatchObject({ code: 'same-pin' });
    expect(await store.changePin(PIN, '915372')).toEqual({ ok: true });
    expect(await store.verifyPin(PIN)).toMatchObject({ reason: 'wrong-pin' });
    expect(await store.verifyPin('915372')).toEqual({ ok: true });
    expect(events.filter((event) => event.type === 'pin-set').map((e) => e.details.how)).toEqual([
      'first',
      'changed',
    ]);
  });

  it.each([
    ['too short', '48291', 'invalid-pin'],
    ['too long', '4829154829154', 'invalid-pin'],
    ['letters', '48291a', 'invalid-pin'],
    ['a space', '482 915', 'invalid-pin'],
    ['non-ASCII digits', '٤٨٢٩١٥', 'invalid-pin'],
    ['one digit repeated', '000000', 'weak-pin'],
    ['a run up', '234567', 'weak-pin'],
    ['a run down', '876543', 'weak-pin'],
    ['a run through 0', '789012', 'weak-pin'],
    ['a long run', '0123456789', 'weak-pin'],
    ['a pair repeated', '454545', 'weak-pin'],
    ['a group repeated', '19841984', 'weak-pin'],
  ])('refuses %s with a message that says what to do', async (_what, pin, code) => {
    const store = open();
    const error = await store.setPin(pin).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code, retryable: false });
    expect((error as Error).message).toMatch(/6 to 12 digits|too easy to guess/);
    expect((error as Error).message).not.toContain(pin);
    expect(await store.state()).toBe('not-set');
    // A weak new PIN is refused before the current one is checked (no try is used up).
    await store.setPin(PIN);
    await expect(store.changePin(PIN, pin)).rejects.toMatchObject({ code });
    expect(await store.status()).toMatchObject({ triesLeft: 5 });
  });

  it('keeps no PIN digits in its file, only a salted hash with its parameters, private to the user', async () => {
    const store = open();
    await store.setPin(PIN);
    await store.verifyPin(OTHER);
    const text = readFileSync(store.file, 'utf8');
    expect(text).not.toContain(PIN);
    expect(text).not.toContain(OTHER);
    const file = JSON.parse(text);
    expect(file.pin).toMatchObject({ algorithm: 'scrypt', ...PIN_SCRYPT });
    expect(Buffer.from(file.pin.salt, 'base64')).toHaveLength(16);
    expect(file.failures).toBe(1);
    if (process.platform !== 'win32') expect(statSync(store.file).mode & 0o777).toBe(0o600);
    // Written atomically: no temporary file left beside it.
    expect(readdirSync(dir)).toEqual(['staff-pin.json']);
    // The same PIN set again gets a new salt, so a new hash.
    const again = mkdtempSync(join(tmpdir(), 'kv-staff-'));
    try {
      const other = new StaffPinStore({ dataDir: again, clock });
      await other.setPin(PIN);
      const second = JSON.parse(readFileSync(other.file, 'utf8'));
      expect(second.pin.salt).not.toBe(file.pin.salt);
      expect(second.pin.hash).not.toBe(file.pin.hash);
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });

  it('tells the audit hook what happened, never the PIN, and a throwing hook changes nothing', async () => {
    const store = open();
    await store.setPin(PIN);
    await fail(store, 5);
    expect(JSON.stringify(events)).not.toContain(PIN);
    expect(JSON.stringify(events)).not.toContain(OTHER);
    const throwing = open({
      onEvent: () => {
        throw new Error('audit trail down');
      },
    });
    clock.advance(5 * MINUTE);
    expect(await throwing.verifyPin(OTHER)).toMatchObject({ reason: 'wrong-pin', triesLeft: 4 });
    expect(await throwing.verifyPin(PIN)).toEqual({ ok: true });
  });
});

describe('the lockout', () => {
  it('locks after five wrong PINs, refuses even the right one with the time left, and lets it in after five minutes', async () => {
    const store = open();
    await store.setPin(PIN);
    const results = await fail(store, 5);
    expect(
      results.slice(0, 4).map((result) => (result as { triesLeft: number }).triesLeft),
    ).toEqual([4, 3, 2, 1]);
    const lockEnds = clock.now() + 5 * MINUTE;
    expect(results[4]).toEqual({
      ok: false,
      reason: 'locked',
      until: lockEnds,
      msLeft: 5 * MINUTE,
    });
    expect(events.map((event) => event.type).slice(-2)).toEqual(['pin-failed', 'staff-locked-out']);
    expect(events.at(-1)!.details).toEqual({
      until: new Date(lockEnds).toISOString(),
      failedTries: 5,
    });

    clock.advance(4 * MINUTE);
    expect(await store.verifyPin(PIN)).toEqual({
      ok: false,
      reason: 'locked',
      until: lockEnds,
      msLeft: MINUTE,
    });
    expect(await store.status()).toMatchObject({ locked: true, msLeft: MINUTE });
    clock.advance(MINUTE - SECOND);
    expect(await store.verifyPin(PIN)).toMatchObject({ reason: 'locked', msLeft: SECOND });

    clock.advance(SECOND);
    expect(await store.verifyPin(PIN)).toEqual({ ok: true });
    expect(await store.status()).toMatchObject({ locked: false, triesLeft: 5 });
    expect(JSON.parse(readFileSync(store.file, 'utf8'))).toMatchObject({ failures: 0, lock: null });
  });

  it('survives a restart: the count and the lock are read back from the folder', async () => {
    await open().setPin(PIN);
    await fail(open(), 3);
    // The kiosk restarts: a new store on the same folder keeps counting from 3.
    expect(await open().verifyPin(OTHER)).toMatchObject({ reason: 'wrong-pin', triesLeft: 1 });
    expect(await open().verifyPin(OTHER)).toMatchObject({ reason: 'locked' });
    // And restarts again while locked: still locked, the right PIN refused.
    clock.advance(2 * MINUTE);
    expect(await open().verifyPin(PIN)).toMatchObject({ reason: 'locked', msLeft: 3 * MINUTE });
    clock.advance(3 * MINUTE);
    expect(await open().verifyPin(PIN)).toEqual({ ok: true });
  });

  it('is not ended by setting the wall clock forward, nor stretched past five minutes after a reboot', async () => {
    const store = open();
    await store.setPin(PIN);
    await fail(store, 5);
    clock.jumpWall(24 * 60 * MINUTE);
    expect(await store.verifyPin(PIN)).toMatchObject({ reason: 'locked', msLeft: 5 * MINUTE });
    // A reboot onto a wall clock a year behind: at most a whole lock from now.
    clock.reboot({ wall: Date.UTC(2024, 0, 6) });
    expect(await open().verifyPin(PIN)).toMatchObject({ reason: 'locked', msLeft: 5 * MINUTE });
    clock.advance(5 * MINUTE);
    expect(await open().verifyPin(PIN)).toEqual({ ok: true });
  });

  it('counts tries made at the same moment one by one', async () => {
    const store = open();
    await store.setPin(PIN);
    const results = await Promise.all(Array.from({ length: 7 }, () => store.verifyPin(OTHER)));
    expect(
      results.filter((result) => result.ok === false && result.reason === 'locked'),
    ).toHaveLength(3);
    expect(await store.verifyPin(PIN)).toMatchObject({ reason: 'locked' });
  });

  it('is cleared by IT resetting the PIN, which also replaces a forgotten one', async () => {
    const store = open();
    await store.setPin(PIN);
    await fail(store, 5);
    expect(await store.resetPin('915372')).toEqual({ replaced: true, lockCleared: true });
    expect(await store.verifyPin(PIN)).toMatchObject({ reason: 'wrong-pin', triesLeft: 4 });
    expect(await store.verifyPin('915372')).toEqual({ ok: true });
    expect(events.at(-2)).toEqual({
      type: 'pin-set',
      details: { how: 'reset', lockCleared: true },
    });
  });
});

describe('a damaged PIN file', () => {
  it('keeps the console locked (never "not set"), and IT can reset it', async () => {
    writeFileSync(join(dir, 'staff-pin.json'), '{"version": 1, "pin": ');
    const store = open();
    const error = await store.state().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'pin-file-unreadable' });
    expect((error as Error).message).toContain('kiosk-verify staff set-pin');
    await expect(store.setPin(PIN)).rejects.toMatchObject({ code: 'pin-file-unreadable' });
    await expect(store.verifyPin(PIN)).rejects.toMatchObject({ code: 'pin-file-unreadable' });
    expect(await store.resetPin(PIN)).toEqual({ replaced: true, lockCleared: false });
    expect(await store.verifyPin(PIN)).toEqual({ ok: true });
  });

  it('refuses scrypt parameters that would exhaust the kiosk', async () => {
    const store = open();
    await store.setPin(PIN);
    const file = JSON.parse(readFileSync(store.file, 'utf8'));
    file.pin.N = 2 ** 24;
    file.pin.maxmem = 2 ** 40;
    writeFileSync(store.file, JSON.stringify(file));
    await expect(store.verifyPin(PIN)).rejects.toMatchObject({ code: 'pin-file-unreadable' });
  });
});

describe('raising the scrypt parameters', () => {
  it('still verifies a PIN hashed with the old ones, and hashes it again with the new', async () => {
    const older = { ...PIN_SCRYPT, N: 2 ** 14, maxmem: 32 * 1024 * 1024 };
    await open({ scrypt: older }).setPin(PIN);
    expect(JSON.parse(readFileSync(join(dir, 'staff-pin.json'), 'utf8')).pin.N).toBe(2 ** 14);
    const store = open();
    expect(await store.verifyPin(PIN)).toEqual({ ok: true });
    expect(JSON.parse(readFileSync(store.file, 'utf8')).pin.N).toBe(PIN_SCRYPT.N);
    expect(await store.verifyPin(PIN)).toEqual({ ok: true });
  });
});
