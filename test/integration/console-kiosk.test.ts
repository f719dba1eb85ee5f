/**
 * The staff console against a whole kiosk (kiosk.ts: settings, training mode, the services)
 * with the real keychain and a vendor emulator: saving credentials ends training mode and
 * removing them returns to it, with staff still signed in; "Test connection" sends one real
 * request and names each failure the way staff can act on it; the settings' vendor address
 * and queue limits take effect without a restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startEmulator,
  TRAINING_CREDENTIALS,
  type VendorEmulator,
} from '../../main/emulator/index.js';
import { dispatchCommand } from '../../main/ipc/dispatch.js';
import { startKiosk, type Kiosk } from '../../main/kiosk.js';
import type { CommandName, CommandResult, KioskEvent } from '../../preload/contract.js';
import { isolatedKeychainStore, requireRealKeychain } from '../helpers/keychain.js';

const PIN = '482913';
const DAY_MS = 24 * 60 * 60 * 1000;

let keychain: ReturnType<typeof isolatedKeychainStore>;
let emulator: VendorEmulator;
let kiosk: Kiosk | null = null;
let dataDir: string;
const events: KioskEvent[] = [];

beforeAll(async () => {
  await requireRealKeychain();
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
});
afterEach(async () => {
  await kiosk?.close();
  kiosk = null;
  await keychain.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  emulator.reset();
  events.length = 0;
});

/** A kiosk whose settings point both vendors at the test's emulator, staff signed in. */
async function open(settings: Record<string, unknown> = {}): Promise<Kiosk> {
  keychain = isolatedKeychainStore();
  dataDir = mkdtempSync(join(tmpdir(), 'kv-console-'));
  writeFileSync(
    join(dataDir, 'settings.json'),
    JSON.stringify({
      baseUrls: { kairos: emulator.url, 'biometric-kz': emulator.url },
      ...settings,
    }),
  );
  kiosk = await startKiosk({ dataDir, secrets: keychain.store, policyFile: null });
  kiosk.onEvent((event) => events.push(event));
  await kiosk.services.startDelivery();
  await value('staff:set-first-pin', { pin: PIN });
  return kiosk;
}

function call<C extends CommandName>(channel: C, input?: unknown): Promise<CommandResult<C>> {
  return dispatchCommand(kiosk!.commands, channel, input, (_, error) => {
    throw error;
  });
}
async function value<C extends CommandName>(channel: C, input?: unknown) {
  const result = await call(channel, input);
  if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

describe('training mode follows the credentials', () => {
  it('saving credentials ends training; removing them returns to it; staff stay signed in', async () => {
    const k = await open();
    expect(k.training).toBe(true);
    expect(k.emulator).not.toBeNull();
    expect(await value('credentials:get')).toMatchObject({ training: true, trainingForced: false });

    const saved = await value('credentials:set', {
      vendor: 'kairos',
      appId: TRAINING_CREDENTIALS.kairos.appId,
      appKey: TRAINING_CREDENTIALS.kairos.appKey,
    });
    expect(saved).toMatchObject({ training: false, vendors: { kairos: { set: true } } });
    expect(k.training).toBe(false);
    expect(k.emulator).toBeNull();
    expect(events).toContainEqual({ type: 'mode-changed', training: false });
    expect(events.filter((event) => event.type === 'staff-signed-out')).toEqual([]);
    expect((await value('staff:get-status')).signedIn).toBe(true);
    expect((await value('kiosk:get-config')).trainingMode).toBe(false);

    const removed = await value('credentials:remove', { vendor: 'kairos' });
    expect(removed).toMatchObject({ training: true, vendors: { kairos: { set: false } } });
    expect(k.training).toBe(true);
    expect(events.filter((event) => event.type === 'mode-changed')).toEqual([
      { type: 'mode-changed', training: false },
      { type: 'mode-changed', training: true },
    ]);
    // The audit trail has both changes, across the switch, and still verifies.
    const audited = k.services.audit.list({ limit: 1000 });
    expect(
      audited.filter((entry) => entry.type === 'credentials-changed').map((entry) => entry.details),
    ).toEqual([
      { vendor: 'kairos', field: 'appId', action: 'set', staff: 'console' },
      { vendor: 'kairos', field: 'appKey', action: 'set', staff: 'console' },
      { vendor: 'kairos', field: 'appId', action: 'deleted', staff: 'console' },
      { vendor: 'kairos', field: 'appKey', action: 'deleted', staff: 'console' },
    ]);
    expect(await value('audit:verify')).toMatchObject({ ok: true });
  }, 60_000);

  it('training switched on in the settings keeps the kiosk training with credentials set', async () => {
    const k = await open();
    await value('credentials:set', { vendor: 'biometric-kz', apiKey: 'key-for-the-training-test' });
    expect(k.training).toBe(false);
    await value('settings:update', { training: true });
    await expect.poll(() => k.training).toBe(true);
    expect(await value('credentials:get')).toMatchObject({ training: true, trainingForced: true });
  }, 60_000);
});

describe('test connection', () => {
  it('succeeds against the vendor, and names a bad key, a used-up quota, a vendor outage and no network', async () => {
    const k = await open();
    await value('credentials:set', {
      vendor: 'kairos',
      appId: TRAINING_CREDENTIALS.kairos.appId,
      appKey: TRAINING_CREDENTIALS.kairos.appKey,
    });
    expect(k.training).toBe(false);
    const before = emulator.requests().length;
    const ok = await value('credentials:test', { vendor: 'kairos' });
    expect(ok).toMatchObject({ ok: true, api: 'kairos-liveness-v0.2', training: false });
    expect(ok.ok && ok.endpoint.startsWith(emulator.url)).toBe(true);
    expect(emulator.requests()).toHaveLength(before + 1);

    emulator.setFaults('kairos-liveness-v0.2', { usageLimitAfter: 0 });
    expect(await value('credentials:test', { vendor: 'kairos' })).toMatchObject({
      ok: false,
      problem: 'quota',
    });
    emulator.setFaults('kairos-liveness-v0.2', { serverErrorStatus: 503 });
    expect(await value('credentials:test', { vendor: 'kairos' })).toMatchObject({
      ok: false,
      problem: 'vendor-down',
    });
    emulator.clearFaults();

    await value('credentials:set', { vendor: 'kairos', appId: 'training-app-id', appKey: 'wrong' });
    expect(await value('credentials:test', { vendor: 'kairos' })).toMatchObject({
      ok: false,
      problem: 'bad-key',
      message: expect.stringMatching(/401|key|credential/i),
    });

    // The vendor's address is a setting: a port nobody listens on is "no network", at once.
    await value('settings:update', {
      baseUrls: { kairos: 'http://127.0.0.1:9', 'biometric-kz': emulator.url },
    });
    expect(await value('credentials:test', { vendor: 'kairos' })).toMatchObject({
      ok: false,
      problem: 'no-network',
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:9\//),
    });
    expect(await value('credentials:test', { vendor: 'biometric-kz' })).toMatchObject({
      ok: false,
      problem: 'no-credentials',
    });
  }, 90_000);
});

describe('settings take effect without a restart', () => {
  it("the queue's maximum age and retention follow the settings", async () => {
    const k = await open();
    expect(k.services.store.maxAgeMs).toBe(3 * DAY_MS);
    expect(k.services.store.retentionMs).toBe(30 * DAY_MS);
    await value('settings:update', { maxQueueDays: 1, retentionDays: 7 });
    expect(k.services.store.maxAgeMs).toBe(1 * DAY_MS);
    expect(k.services.store.retentionMs).toBe(7 * DAY_MS);
    expect(await value('kiosk:get-config')).toMatchObject({ maxQueueDays: 1, retentionDays: 7 });
  }, 60_000);
});
