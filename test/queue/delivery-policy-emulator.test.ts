/**
 * Every branch of the delivery policy, end to end: the real VendorGateway over HTTP to the
 * vendor emulator on 127.0.0.1, whose fault controls make each failure happen for real;
 * credentials in the real OS keychain; a real SQLite queue in a temporary folder; a ManualClock
 * for backoff and cool-downs. (delivery-policy.test.ts checks the same rules with a scripted
 * sender; this file proves the gateway's errors really lead there.)
 *
 * Run through the private keychain: bash scripts/with-keychain.sh npx vitest run test/queue
 */
import { createHash } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../main/clock/clock.js';
import { ManualConnectivity } from '../../main/connectivity/connectivity.js';
import { DeliveryLoop } from '../../main/queue/delivery/delivery-loop.js';
import type { JobStore } from '../../main/queue/store/job-store.js';
import type { NewJob } from '../../main/queue/job.js';
import { writeVendorCredentials } from '../../main/secrets/vendor-credentials.js';
import type { ApiId } from '../../model/apis.js';
import {
  startEmulator,
  TRAINING_CREDENTIALS,
  type EmulatorRequestRecord,
  type VendorEmulator,
} from '../../main/emulator/index.js';
import { VendorGateway } from '../../main/vendors/gateway.js';
import type { TransportTimeouts } from '../../main/vendors/http-transport.js';
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
/** Distinct selfies (each job's upload is recognisable in the emulator's log by its SHA-256). */
const selfies: PreparedImage[] = [];
let matchPhoto: PreparedImage;
/** Below the documented minimums: Kairos biometric 480x480, Kairos v0.2 300 px short side. */
let tinySelfie: PreparedImage;
let shortSelfie: PreparedImage;

beforeAll(async () => {
  await requireRealKeychain();
  for (let seed = 1; seed <= 6; seed += 1) selfies.push(await makePreparedJpeg(480, 480, seed));
  matchPhoto = await makePreparedJpeg(480, 480, 99, 'id-photo.jpg');
  tinySelfie = await makePreparedJpeg(200, 200, 7);
  shortSelfie = await makePreparedJpeg(400, 250, 8);
});
afterAll(() => keychain.cleanup());

function sha256(image: PreparedImage): string {
  return createHash('sha256').update(image.bytes).digest('hex');
}

function liveness(
  selfie: PreparedImage,
  api: 'kairos-liveness-v0.2' | 'biometric-kz-liveness-short' = 'kairos-liveness-v0.2',
): NewJob {
  return {
    request: { kind: 'liveness', api, selfie, threshold: 0.6 },
    consent: CONSENT,
    staffRef: 'teller-3',
  };
}

function match(selfie: PreparedImage, image: PreparedImage): NewJob {
  return {
    request: {
      kind: 'match',
      api: 'kairos-biometric-v0.1',
      selfie,
      image,
      multiface: false,
      threshold: 0.6,
    },
    consent: CONSENT,
  };
}

/** The requests the emulator saw (of one API, or all), oldest first. */
function log(emulator: VendorEmulator, api?: ApiId): EmulatorRequestRecord[] {
  return emulator.requests().filter((record) => api === undefined || record.api === api);
}

describe('delivery policy through the gateway and the emulator', () => {
  let fx: QueueFixture;
  let emulator: VendorEmulator;
  const gateways: VendorGateway[] = [];

  beforeEach(async () => {
    fx = queueFixture();
    emulator = await startEmulator({ port: 0 });
    await writeTrainingCredentials(keychain.store);
  });
  afterEach(async () => {
    for (const gateway of gateways.splice(0)) await gateway.close();
    await emulator.close();
    fx.cleanup();
  });

  interface Setup {
    store: JobStore;
    loop: DeliveryLoop;
    events: RecordedQueueEvent[];
  }

  /** A queue on the fixture's ManualClock, and a loop sending through a real gateway. */
  function setup(
    options: { timeouts?: Partial<TransportTimeouts>; usageLimitCooldownMs?: number } = {},
  ): Setup {
    const store = fx.open();
    const events = recordQueueEvents(store.events);
    const gateway = new VendorGateway({
      baseUrls: { kairos: emulator.url, 'biometric-kz': emulator.url },
      timeouts: {
        connectMs: 2_000,
        headersMs: 5_000,
        bodyMs: 5_000,
        deadlineMs: 10_000,
        ...options.timeouts,
      },
    });
    gateways.push(gateway);
    const loop = new DeliveryLoop({
      store,
      sender: gateway,
      secrets: keychain.store,
      connectivity: new ManualConnectivity(true),
      clock: fx.clock,
      // Mid-window jitter: the first retry is due 1 s later (window 2 s), the second 2 s (4 s).
      random: () => 0.5,
      policy: { usageLimitCooldownMs: options.usageLimitCooldownMs ?? 30 * MINUTE },
    });
    return { store, loop, events };
  }

  function imagesOnDisk(jobId: string): number {
    const db = new BetterSqlite3(fx.file, { readonly: true });
    try {
      const row = db.prepare('SELECT COUNT(*) AS n FROM job_images WHERE job_id = ?').get(jobId);
      return (row as { n: number }).n;
    } finally {
      db.close();
    }
  }

  describe('network', () => {
    it('a refused connection waits with growing backoff, then delivers once the vendor is back', async () => {
      const { store, loop } = setup();
      const port = emulator.port;
      await emulator.close();
      const job = store.enqueue(liveness(selfies[0]!));

      await loop.deliverDue();
      expect(store.get(job.id)).toMatchObject({
        state: 'retry-wait',
        attempts: 1,
        resends: 0,
        nextAttemptAt: fx.clock.now() + 1_000,
        lastError: { code: 'network', message: expect.stringMatching(/refused/) },
        hasImages: true,
      });

      await loop.deliverDue(); // not due yet: no attempt
      expect(store.get(job.id)?.attempts).toBe(1);
      fx.clock.advance(1_000);
      await loop.deliverDue();
      // Still refused: the backoff window doubled.
      expect(store.get(job.id)).toMatchObject({
        state: 'retry-wait',
        attempts: 2,
        nextAttemptAt: fx.clock.now() + 2_000,
      });

      emulator = await startEmulator({ port });
      fx.clock.advance(2_000);
      await loop.deliverDue();
      const done = store.getByTicket(job.ticket);
      expect(done).toMatchObject({ id: job.id, state: 'done', attempts: 3, resends: 0 });
      expect(done?.result?.liveness.live).toBe(true);
      expect(done?.hasImages).toBe(false);
      expect(log(emulator).map((r) => [r.status, r.files[0]?.sha256])).toEqual([
        [200, sha256(selfies[0]!)],
      ]);
    });

    it('a connection reset mid-upload: retried, and delivered once', async () => {
      const { store, loop } = setup();
      emulator.setFaults('kairos-liveness-v0.2', { resetAfterBytes: 2_000, forRequests: 1 });
      const job = store.enqueue(liveness(selfies[1]!));

      await loop.deliverDue();
      // The vendor read 2 KB of the photo, but the kiosk's kernel had already taken all of it
      // (on loopback the socket buffers hold a whole selfie), so the gateway cannot tell
      // whether the photo arrived: at-least-once says resend, and count it.
      const waiting = store.get(job.id);
      expect(waiting).toMatchObject({
        state: 'retry-wait',
        attempts: 1,
        lastError: { message: expect.stringMatching(/connection was cut/) },
      });
      expect(['network', 'outcome-unknown']).toContain(waiting?.lastError?.code);
      expect(waiting?.resends).toBe(waiting?.lastError?.code === 'outcome-unknown' ? 1 : 0);

      fx.clock.advance(1_000);
      await loop.deliverDue();
      expect(store.get(job.id)).toMatchObject({ state: 'done', attempts: 2 });
      expect(log(emulator).map((r) => [r.outcome, r.uploadCompleted, r.status])).toEqual([
        ['connection-reset', false, null],
        ['answered', true, 200],
      ]);
    });
  });

  it('server: a 5xx waits with backoff, then delivers', async () => {
    const { store, loop } = setup();
    emulator.setFaults('kairos-liveness-v0.2', { serverErrorStatus: 503, forRequests: 2 });
    const job = store.enqueue(liveness(selfies[0]!));

    await loop.deliverDue();
    expect(store.get(job.id)).toMatchObject({
      state: 'retry-wait',
      attempts: 1,
      nextAttemptAt: fx.clock.now() + 1_000,
      lastError: { code: 'server', message: expect.stringMatching(/HTTP 503/) },
    });
    fx.clock.advance(1_000);
    await loop.deliverDue();
    expect(store.get(job.id)).toMatchObject({
      state: 'retry-wait',
      attempts: 2,
      nextAttemptAt: fx.clock.now() + 2_000,
    });
    fx.clock.advance(1_999);
    await loop.deliverDue();
    expect(log(emulator)).toHaveLength(2); // not before its time
    fx.clock.advance(1);
    await loop.deliverDue();
    expect(store.get(job.id)).toMatchObject({ state: 'done', attempts: 3, resends: 0 });
    expect(log(emulator).map((r) => r.status)).toEqual([503, 503, 200]);
  });

  describe('bad-response', () => {
    const cases = [
      { fault: { malformedJson: true }, code: 'bad-response', status: 200, says: /readable JSON/ },
      {
        fault: { wrongShapeJson: true },
        code: 'bad-response',
        status: 200,
        says: /documented fields/,
      },
      // A proxy's HTML error page is a 502: the gateway calls it a server error. Same policy.
      { fault: { proxyHtmlError: true }, code: 'server', status: 502, says: /proxy page/ },
    ] as const;
    for (const { fault, code, status, says } of cases) {
      it(`${Object.keys(fault)[0]}: retried with backoff, then delivered`, async () => {
        const { store, loop } = setup();
        emulator.setFaults('biometric-kz-liveness-short', { ...fault, forRequests: 1 });
        const job = store.enqueue(liveness(selfies[2]!, 'biometric-kz-liveness-short'));

        await loop.deliverDue();
        expect(store.get(job.id)).toMatchObject({
          state: 'retry-wait',
          attempts: 1,
          nextAttemptAt: fx.clock.now() + 1_000,
          lastError: { code, message: expect.stringMatching(says) },
          hasImages: true,
        });
        fx.clock.advance(1_000);
        await loop.deliverDue();
        expect(store.get(job.id)).toMatchObject({ state: 'done', attempts: 2, resends: 0 });
        expect(log(emulator).map((r) => [r.status, r.files[0]?.sha256])).toEqual([
          [status, sha256(selfies[2]!)],
          [200, sha256(selfies[2]!)],
        ]);
      });
    }
  });

  describe('outcome-unknown', () => {
    it('no answer within the deadline: resent, and the resend is counted and shown', async () => {
      const { store, loop, events } = setup({ timeouts: { deadlineMs: 400 } });
      emulator.setFaults('kairos-liveness-v0.2', { neverAnswer: true, forRequests: 1 });
      const job = store.enqueue(liveness(selfies[3]!));

      await loop.deliverDue();
      expect(store.get(job.id)).toMatchObject({
        state: 'retry-wait',
        attempts: 1,
        resends: 1,
        lastError: {
          code: 'outcome-unknown',
          message: expect.stringMatching(/may have been processed/),
        },
      });
      fx.clock.advance(1_000);
      await loop.deliverDue();
      expect(store.getByTicket(job.ticket)).toMatchObject({
        state: 'done',
        attempts: 2,
        resends: 1,
      });
      // Staff see the resend on the job's change events, as the console shows them.
      const changes = events.flatMap((e) => (e.name === 'job-changed' ? [e.payload] : []));
      expect(changes.at(-1)).toMatchObject({ ticket: job.ticket, state: 'done', resends: 1 });
      expect(changes.map((c) => c.state)).toEqual([
        'queued',
        'sending',
        'retry-wait',
        'sending',
        'done',
      ]);
      // The vendor received the same photo twice: the first upload complete but unanswered.
      expect(log(emulator).map((r) => [r.outcome, r.uploadCompleted, r.files[0]?.sha256])).toEqual([
        ['never-answered', true, sha256(selfies[3]!)],
        ['answered', true, sha256(selfies[3]!)],
      ]);
    });

    it('headers that come too late after a complete upload: resent and counted', async () => {
      const { store, loop } = setup({ timeouts: { headersMs: 300 } });
      emulator.setFaults('kairos-liveness-v0.2', { slowHeadersMs: 3_000, forRequests: 1 });
      const job = store.enqueue(liveness(selfies[4]!));
      await loop.deliverDue();
      expect(store.get(job.id)).toMatchObject({
        state: 'retry-wait',
        resends: 1,
        lastError: { code: 'outcome-unknown' },
      });
      fx.clock.advance(1_000);
      await loop.deliverDue();
      expect(store.get(job.id)).toMatchObject({ state: 'done', attempts: 2, resends: 1 });
    });
  });

  describe('auth', () => {
    it('Kairos refuses the key: vendor paused with an alert, no attempt burned, resumes when the credentials change', async () => {
      const { store, loop, events } = setup();
      await writeVendorCredentials(keychain.store, {
        vendor: 'kairos',
        appId: TRAINING_CREDENTIALS.kairos.appId,
        appKey: 'wrong-app-key',
      });
      const first = store.enqueue(liveness(selfies[0]!));
      const second = store.enqueue(liveness(selfies[1]!));
      const other = store.enqueue(liveness(selfies[2]!, 'biometric-kz-liveness-short'));

      await loop.deliverDue();
      const alert = events.find((e) => e.name === 'vendor-paused')?.payload;
      expect(alert).toMatchObject({
        vendor: 'kairos',
        reason: 'auth',
        until: null,
        message: expect.stringMatching(/kiosk-verify secrets set kairos/),
      });
      expect(JSON.stringify(events)).not.toContain('wrong-app-key');
      expect(loop.pausedVendors()).toEqual([expect.objectContaining({ vendor: 'kairos' })]);
      expect(store.get(first.id)).toMatchObject({
        state: 'queued',
        attempts: 0,
        lastError: { code: 'auth', message: expect.stringMatching(/HTTP 401/) },
        hasImages: true,
      });
      expect(store.get(second.id)).toMatchObject({ state: 'queued', attempts: 0 });
      // The other vendor is not held up.
      expect(store.get(other.id)?.state).toBe('done');
      expect(log(emulator, 'kairos-liveness-v0.2').map((r) => r.status)).toEqual([401]);

      // Time passes, the keychain still holds the refused key: nothing is sent.
      fx.clock.advance(60 * MINUTE);
      await loop.checkPausedVendors();
      await loop.deliverDue();
      expect(log(emulator, 'kairos-liveness-v0.2')).toHaveLength(1);
      expect(store.get(first.id)?.attempts).toBe(0);

      await writeTrainingCredentials(keychain.store);
      loop.credentialsChanged('kairos');
      expect(events.filter((e) => e.name === 'vendor-resumed').map((e) => e.payload)).toEqual([
        { vendor: 'kairos' },
      ]);
      await loop.deliverDue();
      expect(store.get(first.id)).toMatchObject({ state: 'done', attempts: 1 });
      expect(store.get(second.id)).toMatchObject({ state: 'done', attempts: 1 });
      expect(log(emulator, 'kairos-liveness-v0.2').map((r) => r.status)).toEqual([401, 200, 200]);
    });

    it('biometric.kz refuses the key (its 400 "no access"): paused, resumes when the keychain is re-read', async () => {
      const { store, loop, events } = setup();
      await keychain.store.set('biometric-kz.apiKey', 'wrong-api-key-000000');
      const job = store.enqueue(liveness(selfies[3]!, 'biometric-kz-liveness-short'));

      await loop.deliverDue();
      expect(events.find((e) => e.name === 'vendor-paused')?.payload).toMatchObject({
        vendor: 'biometric-kz',
        reason: 'auth',
        until: null,
      });
      expect(store.get(job.id)).toMatchObject({
        state: 'queued',
        attempts: 0,
        lastError: { code: 'auth' },
      });

      await keychain.store.set('biometric-kz.apiKey', TRAINING_CREDENTIALS.biometricKz.apiKey);
      // What the loop's credentials timer does: notices the new key in the keychain.
      await loop.checkPausedVendors();
      expect(loop.pausedVendors()).toEqual([]);
      await loop.deliverDue();
      expect(store.get(job.id)).toMatchObject({ state: 'done', attempts: 1 });
      expect(log(emulator).map((r) => r.status)).toEqual([400, 200]);
    });
  });

  it('usage-limit: the vendor is paused for the cool-down with an alert, then resumes on the clock', async () => {
    const { store, loop, events } = setup({ usageLimitCooldownMs: 10 * MINUTE });
    // One request within the quota, then one 403; then the quota is back.
    emulator.setFaults('kairos-liveness-v0.2', { usageLimitAfter: 1, forRequests: 2 });
    const jobs = [0, 1, 2].map((i) => store.enqueue(liveness(selfies[i]!)));

    await loop.deliverDue();
    const pausedAt = fx.clock.now();
    expect(events.find((e) => e.name === 'vendor-paused')?.payload).toMatchObject({
      vendor: 'kairos',
      reason: 'usage-limit',
      until: pausedAt + 10 * MINUTE,
      message: expect.stringMatching(/usage limit/),
    });
    expect(store.get(jobs[0]!.id)?.state).toBe('done');
    expect(store.get(jobs[1]!.id)).toMatchObject({
      state: 'queued',
      attempts: 0,
      lastError: { code: 'usage-limit', message: expect.stringMatching(/HTTP 403/) },
    });
    expect(store.get(jobs[2]!.id)).toMatchObject({ state: 'queued', attempts: 0 });
    expect(log(emulator).map((r) => r.status)).toEqual([200, 403]);

    fx.clock.advance(10 * MINUTE - 1);
    await loop.deliverDue();
    expect(log(emulator)).toHaveLength(2);

    fx.clock.advance(1);
    await loop.deliverDue();
    expect(events.some((e) => e.name === 'vendor-resumed')).toBe(true);
    for (const job of jobs) expect(store.get(job.id)?.state).toBe('done');
    expect(store.get(jobs[1]!.id)?.attempts).toBe(1);
    expect(log(emulator).map((r) => r.status)).toEqual([200, 403, 200, 200]);
  });

  describe('rejected-input', () => {
    const cases = [
      {
        name: 'a 200x200 face match (Kairos biometric needs 480x480)',
        job: () => match(tinySelfie, matchPhoto),
        reason: /200x200 px is below the documented minimum of 480 px/,
      },
      {
        name: 'a 400x250 selfie for Kairos v0.2 (300 px minimum)',
        job: () => liveness(shortSelfie),
        reason: /400x250 px is below the documented minimum of 300 px/,
      },
    ];
    for (const { name, job: newJob, reason } of cases) {
      it(`${name}: failed with the vendor's reason, images deleted, never sent again`, async () => {
        const { store, loop, events } = setup();
        const job = store.enqueue(newJob());
        expect(imagesOnDisk(job.id)).toBeGreaterThan(0);

        await loop.deliverDue();
        expect(store.getByTicket(job.ticket)).toMatchObject({
          state: 'failed',
          attempts: 1,
          hasImages: false,
          result: null,
          lastError: { code: 'rejected-input', message: expect.stringMatching(reason) },
        });
        expect(imagesOnDisk(job.id)).toBe(0);
        expect(events.filter((e) => e.name === 'job-changed').at(-1)?.payload).toMatchObject({
          ticket: job.ticket,
          state: 'failed',
          lastError: { code: 'rejected-input' },
        });

        fx.clock.advance(60 * MINUTE);
        await loop.deliverDue();
        expect(log(emulator).map((r) => r.status)).toEqual([400]);
      });
    }
  });
});
