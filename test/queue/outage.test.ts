/**
 * Outage: the vendor emulator goes away for a while and comes back on the same port. Every job
 * is delivered, none is lost, none is sent twice at once; and delivery starts as soon as the
 * vendor can be reached again (the connectivity probe's event), not at the next backoff.
 *
 * Real parts: the VendorGateway over HTTP to the emulator on 127.0.0.1, the Node
 * ReachabilityConnectivity probe (TCP connect, short intervals), SQLite files in a temporary
 * folder, credentials in the real OS keychain; real time (the probe and the loop run on timers).
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../main/clock/clock.js';
import type { VerificationSender } from '../../main/queue/delivery/deliver-job.js';
import { DeliveryLoop } from '../../main/queue/delivery/delivery-loop.js';
import type { DeliveryPolicy } from '../../main/queue/delivery/delivery-policy.js';
import type { Job, NewJob } from '../../main/queue/job.js';
import { ReachabilityConnectivity } from '../../main/connectivity/reachability-connectivity.js';
import { VENDOR_OF_API, type VendorId } from '../../model/apis.js';
import {
  startEmulator,
  type EmulatorRequestRecord,
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
import { recordQueueEvents, type RecordedQueueEvent } from './delivery-setup.js';
import { CONSENT, queueFixture, type QueueFixture } from './queue-fixtures.js';

const keychain = isolatedKeychainStore();
/** One distinct selfie per job: the emulator's log names each upload by its SHA-256. */
const selfies: PreparedImage[] = [];

beforeAll(async () => {
  await requireRealKeychain();
  await writeTrainingCredentials(keychain.store);
  for (let seed = 1; seed <= 16; seed += 1) selfies.push(await makePreparedJpeg(400, 400, seed));
});
afterAll(() => keychain.cleanup());

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function jobFor(index: number): NewJob {
  const api = index % 2 === 0 ? 'kairos-liveness-v0.2' : 'biometric-kz-liveness-short';
  return {
    request: { kind: 'liveness', api, selfie: selfies[index]!, threshold: 0.6 },
    consent: CONSENT,
  };
}

/** The gateway, watched: how many sends of the same photo, and of the same vendor, overlap. */
class WatchedSender implements VerificationSender {
  readonly #inner: VerificationSender;
  readonly #byImage = new Map<string, number>();
  readonly #byVendor = new Map<VendorId, number>();
  maxSameImageAtOnce = 0;
  maxPerVendorAtOnce = 0;

  constructor(inner: VerificationSender) {
    this.#inner = inner;
  }

  async send(...[request, options]: Parameters<VerificationSender['send']>) {
    const image = sha256(request.selfie.bytes);
    const vendor = VENDOR_OF_API[request.api];
    const sameImage = (this.#byImage.get(image) ?? 0) + 1;
    const sameVendor = (this.#byVendor.get(vendor) ?? 0) + 1;
    this.#byImage.set(image, sameImage);
    this.#byVendor.set(vendor, sameVendor);
    this.maxSameImageAtOnce = Math.max(this.maxSameImageAtOnce, sameImage);
    this.maxPerVendorAtOnce = Math.max(this.maxPerVendorAtOnce, sameVendor);
    try {
      return await this.#inner.send(request, options);
    } finally {
      this.#byImage.set(image, this.#byImage.get(image)! - 1);
      this.#byVendor.set(vendor, this.#byVendor.get(vendor)! - 1);
    }
  }
}

/**
 * The delivery rule, counted from the vendor's side: each job's photo was answered 200 exactly
 * once, unless the job records outcome-unknown resends (then at most once more per resend), and
 * the vendor never saw more sends of it than the job counts attempts.
 */
function expectDeliveredOnce(jobs: Job[], log: EmulatorRequestRecord[]): void {
  for (const job of jobs) {
    expect(job.state, `job ${job.ticket}`).toBe('done');
    expect(job.hasImages).toBe(false);
  }
  const byImage = new Map<string, EmulatorRequestRecord[]>();
  for (const record of log) {
    for (const file of record.files) {
      byImage.set(file.sha256, [...(byImage.get(file.sha256) ?? []), record]);
    }
  }
  jobs.forEach((job, index) => {
    const records = byImage.get(sha256(selfies[index]!.bytes)) ?? [];
    const answered = records.filter((record) => record.status === 200).length;
    if (job.resends === 0) expect(answered, `200s for job ${job.ticket}`).toBe(1);
    else expect(answered).toBeGreaterThanOrEqual(1);
    expect(answered).toBeLessThanOrEqual(1 + job.resends);
    expect(records.length).toBeLessThanOrEqual(job.attempts);
  });
}

describe('outage: the vendor goes away and comes back', () => {
  let fx: QueueFixture;
  let emulator: VendorEmulator;
  const running: { loop: DeliveryLoop; connectivity: ReachabilityConnectivity }[] = [];
  const gateways: VendorGateway[] = [];

  beforeEach(async () => {
    fx = queueFixture();
    emulator = await startEmulator({ port: 0 });
  });
  afterEach(async () => {
    for (const { loop, connectivity } of running.splice(0)) {
      connectivity.stop();
      await loop.stop();
    }
    for (const gateway of gateways.splice(0)) await gateway.close();
    await emulator.close();
    fx.cleanup();
  });

  function gatewayTo(url: string): VendorGateway {
    const gateway = new VendorGateway({
      baseUrls: { kairos: url, 'biometric-kz': url },
      timeouts: { connectMs: 1_000, headersMs: 5_000, bodyMs: 5_000, deadlineMs: 8_000 },
    });
    gateways.push(gateway);
    return gateway;
  }

  /** One drainer (as the app or the CLI runs it): its own connection, probe and loop. */
  function drainer(sender: VerificationSender, policy: Partial<DeliveryPolicy>) {
    const store = fx.open({ clock: systemClock });
    const events = recordQueueEvents(store.events);
    const connectivity = new ReachabilityConnectivity({
      baseUrls: [emulator.url],
      timeoutMs: 500,
      // Short polls keep the test fast (the probe's own cadence: reachability-connectivity.test.ts).
      onlineIntervalMs: 200,
      offlineMaxIntervalMs: 200,
    });
    const loop = new DeliveryLoop({
      store,
      sender,
      secrets: keychain.store,
      connectivity,
      clock: systemClock,
      policy,
    });
    running.push({ loop, connectivity });
    return { store, loop, connectivity, events };
  }

  function connectivityOf(events: RecordedQueueEvent[]): boolean[] {
    return events.flatMap((e) => (e.name === 'connectivity' ? [e.payload.online] : []));
  }

  it('delivers every job once the vendor is back, at once rather than at the next backoff', async () => {
    const port = emulator.port;
    const sender = new WatchedSender(gatewayTo(emulator.url));
    // Backoff and idle poll far beyond the test: only the connectivity event can restart it.
    const { store, loop, connectivity, events } = drainer(sender, {
      backoff: { baseMs: 120_000, capMs: 600_000, floorMs: 60_000 },
      idlePollMs: 120_000,
    });
    connectivity.start();
    await loop.start();

    const before = [0, 1, 2, 3].map((i) => store.enqueue(jobFor(i)).id);
    loop.wake();
    await vi.waitFor(() => expect(store.totals().done).toBe(4), { timeout: 10_000 });

    // The outage. Jobs keep arriving (the kiosk queues them and hands out tickets).
    await emulator.close();
    const firstLog = emulator.requests();
    const during = [4, 5, 6, 7, 8, 9].map((i) => store.enqueue(jobFor(i)).id);
    loop.wake();
    await vi.waitFor(() => expect(connectivityOf(events)).toEqual([true, false]), {
      timeout: 5_000,
    });
    await sleep(1_000);
    const waiting = during.map((id) => store.get(id)!);
    for (const job of waiting) {
      expect(['queued', 'retry-wait']).toContain(job.state);
      expect(job.hasImages).toBe(true);
      if (job.state === 'retry-wait') {
        // At most the first send per vendor, before the probe noticed: a refused connect.
        expect(job.lastError?.code).toBe('network');
        expect(job.nextAttemptAt! - Date.now()).toBeGreaterThan(50_000);
      }
    }
    expect(firstLog).toHaveLength(4);

    // Back, on the same address.
    emulator = await startEmulator({ port });
    const backAt = Date.now();
    await vi.waitFor(() => expect(store.totals().done).toBe(10), { timeout: 10_000 });
    const firstSendAfterReturn = Date.parse(emulator.requests()[0]!.receivedAt) - backAt;
    // The probe polls every 200 ms (the first offline poll is 1 s): seconds, not the minute
    // the backoff would have waited.
    expect(firstSendAfterReturn).toBeLessThan(5_000);
    expect(connectivityOf(events)).toEqual([true, false, true]);

    const jobs = [...before, ...during].map((id) => store.get(id)!);
    expectDeliveredOnce(jobs, [...firstLog, ...emulator.requests()]);
    for (const job of jobs) expect(job.resends).toBe(0);
    expect(sender.maxSameImageAtOnce).toBe(1);
    expect(sender.maxPerVendorAtOnce).toBe(1);
    expect(store.totals()).toMatchObject({ queued: 0, sending: 0, 'retry-wait': 0, failed: 0 });
  });

  it('survives sends cut mid-flight with two drainers: none lost, none sent twice at once', async () => {
    const port = emulator.port;
    // The vendor takes 150 ms to answer, so sends are in flight when it goes away.
    emulator.setFaults('kairos-liveness-v0.2', { latencyMs: 150 });
    emulator.setFaults('biometric-kz-liveness-short', { latencyMs: 150 });
    const sender = new WatchedSender(gatewayTo(emulator.url));
    const policy = { backoff: { baseMs: 300, capMs: 1_500, floorMs: 100 } };
    const app = drainer(sender, policy);
    const cli = drainer(sender, policy);
    const ids = selfies.map((_, i) => app.store.enqueue(jobFor(i)).id);
    for (const { loop, connectivity } of [app, cli]) {
      connectivity.start();
      await loop.start();
    }

    await vi.waitFor(() => expect(app.store.totals().done).toBeGreaterThanOrEqual(4), {
      timeout: 10_000,
    });
    // Close while a photo has fully arrived and the vendor is still working on it.
    await vi.waitFor(
      () =>
        expect(
          emulator.requests().some((r) => r.outcome === 'in-progress' && r.uploadCompleted),
        ).toBe(true),
      { timeout: 5_000, interval: 5 },
    );
    await emulator.close();
    const firstLog = emulator.requests();
    await sleep(1_500);
    expect(app.store.totals().done).toBeLessThan(ids.length);

    emulator = await startEmulator({ port });
    emulator.setFaults('kairos-liveness-v0.2', { latencyMs: 150 });
    emulator.setFaults('biometric-kz-liveness-short', { latencyMs: 150 });
    await vi.waitFor(() => expect(app.store.totals().done).toBe(ids.length), {
      timeout: 20_000,
    });

    const jobs = ids.map((id) => app.store.get(id)!);
    expectDeliveredOnce(jobs, [...firstLog, ...emulator.requests()]);
    // The send cut after its upload is known to be a possible duplicate, and says so.
    expect(jobs.reduce((sum, job) => sum + job.resends, 0)).toBeGreaterThanOrEqual(1);
    expect(sender.maxSameImageAtOnce).toBe(1);
    // Two drainers, one send per vendor each.
    expect(sender.maxPerVendorAtOnce).toBeLessThanOrEqual(2);
    for (const { events } of [app, cli]) expect(connectivityOf(events).at(-1)).toBe(true);
  });
});
