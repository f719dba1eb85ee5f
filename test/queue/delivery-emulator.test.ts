/**
 * The delivery loop through the real gateway to the vendor emulator over HTTP, with
 * credentials in the real keychain: proves the loop and VendorGateway fit together. The full
 * fault-by-fault suite drives the same loop (see delivery-policy.test.ts for each branch).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../main/clock/clock.js';
import { ManualConnectivity } from '../../main/connectivity/connectivity.js';
import { DeliveryLoop } from '../../main/queue/delivery/delivery-loop.js';
import type { NewJob } from '../../main/queue/job.js';
import { writeVendorCredentials } from '../../main/secrets/vendor-credentials.js';
import {
  startEmulator,
  TRAINING_CREDENTIALS,
  type VendorEmulator,
} from '../../main/emulator/index.js';
import { VendorGateway } from '../../main/vendors/gateway.js';
import type { PreparedImage } from '../../model/request.js';
import { makePreparedJpeg } from '../helpers/images.js';
import {
  isolatedKeychainStore,
  requireRealKeychain,
  writeTrainingCredentials,
} from '../helpers/keychain.js';
import { CONSENT, queueFixture, type QueueFixture } from './queue-fixtures.js';

let emulator: VendorEmulator;
let gateway: VendorGateway;
let selfie: PreparedImage;
const keychain = isolatedKeychainStore();

beforeAll(async () => {
  await requireRealKeychain();
  emulator = await startEmulator({ port: 0 });
  gateway = new VendorGateway({
    baseUrls: { kairos: emulator.url, 'biometric-kz': emulator.url },
    timeouts: { deadlineMs: 5_000 },
  });
  selfie = await makePreparedJpeg(640, 480, 31);
});
afterAll(async () => {
  await gateway?.close();
  await emulator?.close();
  await keychain.cleanup();
});

function job(api: 'kairos-liveness-v0.2' | 'biometric-kz-liveness-short'): NewJob {
  return { request: { kind: 'liveness', api, selfie, threshold: 0.6 }, consent: CONSENT };
}

describe('delivery through the gateway to the emulator', () => {
  let fx: QueueFixture;
  beforeEach(async () => {
    fx = queueFixture();
    emulator.reset();
    await writeTrainingCredentials(keychain.store);
  });
  afterEach(() => fx.cleanup());

  function loopOver(store: ReturnType<QueueFixture['open']>): DeliveryLoop {
    return new DeliveryLoop({
      store,
      sender: gateway,
      secrets: keychain.store,
      connectivity: new ManualConnectivity(true),
      clock: systemClock,
      policy: { backoff: { baseMs: 20, capMs: 100, floorMs: 5 } },
    });
  }

  it('delivers every queued job once, with results for staff', async () => {
    const store = fx.open({ clock: systemClock });
    const ids = [
      job('kairos-liveness-v0.2'),
      job('biometric-kz-liveness-short'),
      job('kairos-liveness-v0.2'),
    ].map((newJob) => store.enqueue(newJob).id);
    const summary = await loopOver(store).drain();
    expect(summary.totals.done).toBe(3);
    for (const id of ids) expect(store.get(id)?.result?.liveness.live).toBe(true);
    expect(emulator.requests()).toHaveLength(3);
  });

  it('retries a vendor 503 and pauses on refused credentials until they are fixed', async () => {
    const store = fx.open({ clock: systemClock });
    emulator.setFaults('kairos-liveness-v0.2', { serverErrorStatus: 503, forRequests: 1 });
    const retried = store.enqueue(job('kairos-liveness-v0.2')).id;
    const loop = loopOver(store);
    await loop.drain();
    expect(store.get(retried)).toMatchObject({ state: 'done', attempts: 2 });

    await writeVendorCredentials(keychain.store, {
      vendor: 'kairos',
      appId: TRAINING_CREDENTIALS.kairos.appId,
      appKey: 'wrong-key',
    });
    const held = store.enqueue(job('kairos-liveness-v0.2')).id;
    const paused = await loop.drain();
    expect(paused.pausedVendors).toEqual([
      expect.objectContaining({ vendor: 'kairos', reason: 'auth' }),
    ]);
    expect(store.get(held)).toMatchObject({ state: 'queued', attempts: 0 });

    await writeTrainingCredentials(keychain.store);
    await loop.checkPausedVendors();
    await loop.drain();
    expect(store.get(held)?.state).toBe('done');
  });
});
