/**
 * The customer's verification end to end on real parts: the emulator over HTTP, a real queue
 * file, the real keychain. Sent now when it can be; queued with a ticket when it cannot; and
 * the queued job is the same job the delivery loop later finishes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualConnectivity } from '../../main/connectivity/connectivity.js';
import { createServices, type Services } from '../../main/services.js';
import { writeVendorCredentials } from '../../main/secrets/vendor-credentials.js';
import {
  startEmulator,
  TRAINING_CREDENTIALS,
  type VendorEmulator,
} from '../../main/emulator/index.js';
import type { PreparedImage } from '../../model/request.js';
import { makePreparedJpeg } from '../helpers/images.js';
import { isolatedKeychainStore, requireRealKeychain } from '../helpers/keychain.js';

const consent = { acceptedAt: '2026-11-22T09:00:00.000Z', textVersion: 'branch-2026-01' };
let emulator: VendorEmulator;
let selfie: PreparedImage;
let keychain: ReturnType<typeof isolatedKeychainStore>;
let services: Services;
let connectivity: ManualConnectivity;

beforeAll(async () => {
  await requireRealKeychain();
  emulator = await startEmulator({ port: 0 });
  selfie = await makePreparedJpeg(960, 720, 31);
});
afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  keychain = isolatedKeychainStore();
  await writeVendorCredentials(keychain.store, {
    vendor: 'kairos',
    ...TRAINING_CREDENTIALS.kairos,
  });
  connectivity = new ManualConnectivity(true);
  services = await createServices({
    dataDir: mkdtempSync(join(tmpdir(), 'kv-session-')),
    secrets: keychain.store,
    baseUrls: { kairos: emulator.url, 'biometric-kz': emulator.url },
    connectivity,
    timeouts: { deadlineMs: 1_500 },
  });
});
afterEach(async () => {
  await services.close();
  await keychain.cleanup();
  emulator.reset();
});

const liveness = () =>
  ({ kind: 'liveness', api: 'kairos-liveness-v0.2', selfie, threshold: 0.6 }) as const;

describe('verifying a customer', () => {
  it('returns the verdict at once when the vendor answers, queues nothing, and keeps the result for staff', async () => {
    const outcome = await services.session.verify({
      request: liveness(),
      consent,
      staffRef: 'AB',
      quality: { selfie: { faceRatio: 0.31, yaw: -4.2, eyesOpen: null } },
    });
    expect(outcome).toMatchObject({ status: 'answered-now', verdict: 'verified' });
    expect(services.store.totals()).toMatchObject({ queued: 0, 'retry-wait': 0, done: 1 });
    // The console's results list: the answer, its quality report, no pictures ever stored.
    expect(services.store.list()).toEqual([
      expect.objectContaining({
        id: outcome.jobId,
        state: 'done',
        attempts: 1,
        hasImages: false,
        staffRef: 'AB',
        quality: { selfie: { faceRatio: 0.31, yaw: -4.2, eyesOpen: null } },
        result: expect.objectContaining({ requestId: expect.any(String) }),
      }),
    ]);
    expect(emulator.requests()).toHaveLength(1);
  });

  it('queues with a ticket while offline, and the delivery loop finishes that same job', async () => {
    connectivity.set(false);
    const outcome = await services.session.verify({ request: liveness(), consent, staffRef: 'AB' });
    expect(outcome.status).toBe('queued');
    if (outcome.status !== 'queued') return;
    expect(outcome.ticket).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    expect(outcome.reason.code).toBe('offline');
    expect(emulator.requests()).toHaveLength(0);

    connectivity.set(true);
    const summary = await services.loop.drain();
    expect(summary.totals.done).toBe(1);
    const job = services.store.getByTicket(outcome.ticket);
    expect(job).toMatchObject({
      id: outcome.jobId,
      state: 'done',
      attempts: 1,
      hasImages: false,
      staffRef: 'AB',
    });
    expect(job!.result!.liveness.live).toBe(true);
  });

  it('queues after a vendor outage, counting the failed attempt, and delivers when it recovers', async () => {
    emulator.setFaults('kairos-liveness-v0.2', { serverErrorStatus: 503, forRequests: 1 });
    const outcome = await services.session.verify({ request: liveness(), consent });
    expect(outcome).toMatchObject({ status: 'queued', reason: { code: 'server' } });
    expect(services.store.get(outcome.jobId)).toMatchObject({
      attempts: 1,
      lastError: { code: 'server' },
    });

    await services.loop.drain();
    expect(services.store.get(outcome.jobId)).toMatchObject({
      state: 'done',
      attempts: 2,
      resends: 0,
    });
    expect(emulator.requests().map((r) => r.status)).toEqual([503, 200]);
  });

  it('counts a resend when the online attempt may have reached the vendor', async () => {
    emulator.setFaults('kairos-liveness-v0.2', { neverAnswer: true, forRequests: 1 });
    const outcome = await services.session.verify({ request: liveness(), consent });
    expect(outcome).toMatchObject({ status: 'queued', reason: { code: 'outcome-unknown' } });
    await services.loop.drain();
    expect(services.store.get(outcome.jobId)).toMatchObject({ state: 'done', resends: 1 });
  });

  it('ends at once, queueing nothing, when the vendor rejects the images', async () => {
    const small = await makePreparedJpeg(280, 210, 32);
    const outcome = await services.session.verify({
      request: { ...liveness(), selfie: small },
      consent,
    });
    expect(outcome).toMatchObject({ status: 'not-sent', reason: { code: 'rejected-input' } });
    expect(services.store.list()).toEqual([]);
  });

  it('queues when the vendor has no credentials in the keychain, so nothing is lost', async () => {
    const outcome = await services.session.verify({
      request: { kind: 'liveness', api: 'biometric-kz-liveness-short', selfie, threshold: 0.6 },
      consent,
    });
    expect(outcome).toMatchObject({ status: 'queued', reason: { code: 'missing-secret' } });
    expect(emulator.requests()).toHaveLength(0);
    expect(services.store.get(outcome.jobId)).toMatchObject({ state: 'queued', attempts: 0 });
  });
});
