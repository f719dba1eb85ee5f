/**
 * Staff signed in to the console: in with the right PIN, out after two minutes with nothing
 * done, or at once when the kiosk signs them out (a customer's way starts). A ManualClock moves
 * time; the PIN file is real, in a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE, SECOND } from '../../main/clock/clock.js';
import type { StaffEventType } from '../../main/staff/staff-events.js';
import { StaffPinStore } from '../../main/staff/staff-pin-store.js';
import { StaffSession, type StaffSessionOptions } from '../../main/staff/staff-session.js';

const PIN = '482915';

let dir: string;
let clock: ManualClock;
let pins: StaffPinStore;
let events: { type: StaffEventType; details: Record<string, unknown> }[];
let signedOut: string[];
let session: StaffSession | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kv-staff-session-'));
  clock = new ManualClock();
  events = [];
  signedOut = [];
  pins = new StaffPinStore({ dataDir: dir, clock });
  await pins.setPin(PIN);
});
afterEach(() => {
  session?.close();
  session = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function start(options: Partial<StaffSessionOptions> = {}): StaffSession {
  session = new StaffSession({
    pins,
    clock,
    onEvent: (type, details) => events.push({ type, details }),
    onSignedOut: (reason) => signedOut.push(reason),
    ...options,
  });
  return session;
}

describe('the staff sign-in', () => {
  it('signs in with the right PIN only', async () => {
    const staff = start();
    expect(await staff.signIn('730164')).toMatchObject({ ok: false, reason: 'wrong-pin' });
    expect(staff.isSignedIn()).toBe(false);
    expect(await staff.signIn(PIN)).toEqual({ ok: true });
    expect(staff.isSignedIn()).toBe(true);
    expect(events).toEqual([{ type: 'staff-signed-in', details: { idleMs: 2 * MINUTE } }]);
  });

  it('signs out after two minutes with nothing done, and each action starts the two minutes again', async () => {
    const staff = start();
    await staff.signIn(PIN);
    clock.advance(MINUTE + 50 * SECOND);
    expect(staff.touch()).toBe(true);
    clock.advance(MINUTE + 59 * SECOND);
    expect(staff.isSignedIn()).toBe(true);
    expect(staff.msUntilIdle()).toBe(SECOND);
    clock.advance(SECOND);
    expect(staff.isSignedIn()).toBe(false);
    expect(staff.touch()).toBe(false);
    expect(signedOut).toEqual(['idle']);
    expect(events.at(-1)).toEqual({ type: 'staff-signed-out', details: { reason: 'idle' } });
  });

  it('takes another idle time when configured', async () => {
    const staff = start({ idleMs: 30 * SECOND });
    await staff.signIn(PIN);
    clock.advance(30 * SECOND);
    expect(staff.isSignedIn()).toBe(false);
  });

  it('signs out at once when the kiosk says so (a customer starts), once', async () => {
    const staff = start();
    await staff.signIn(PIN);
    staff.signOut();
    staff.signOut();
    expect(staff.isSignedIn()).toBe(false);
    expect(signedOut).toEqual(['signed-out']);
    expect(events.filter((event) => event.type === 'staff-signed-out')).toHaveLength(1);
  });

  it('does not sign in when signed out while the PIN was being checked', async () => {
    const staff = start();
    const pending = staff.signIn(PIN);
    staff.signOut();
    expect(await pending).toEqual({ ok: true });
    expect(staff.isSignedIn()).toBe(false);
  });

  it('ends the session on its own timer, without anyone asking', async () => {
    const staff = start({ clock: undefined, idleMs: 50 });
    await staff.signIn(PIN);
    expect(staff.isSignedIn()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(signedOut).toEqual(['idle']);
    expect(staff.isSignedIn()).toBe(false);
  });
});
