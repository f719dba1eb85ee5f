import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../main/clock/clock.js';
import { MemorySecretStore } from '../../main/secrets/memory-secret-store.js';
import { writeVendorCredentials } from '../../main/secrets/vendor-credentials.js';
import { VendorError } from '../../main/vendors/vendor-error.js';
import { deliverySetup, KAIROS_SECRETS, KZ_SECRETS } from './delivery-setup.js';
import { biometricKzJob, livenessJob, queueFixture, type QueueFixture } from './queue-fixtures.js';

describe('delivery policy', () => {
  let fx: QueueFixture;
  beforeEach(() => {
    fx = queueFixture();
  });
  afterEach(() => fx.cleanup());

  for (const code of ['network', 'server', 'bad-response'] as const) {
    it(`retries after a ${code} error with backoff, then delivers`, async () => {
      const { store, loop, sender } = deliverySetup(fx);
      sender.answer(
        new VendorError(code, `${code} trouble`),
        new VendorError(code, `${code} again`),
      );
      const job = store.enqueue(livenessJob());

      await loop.deliverDue();
      // First failure: full jitter over a 2 s window; the test's jitter is mid-window.
      expect(store.get(job.id)).toMatchObject({
        state: 'retry-wait',
        attempts: 1,
        nextAttemptAt: fx.clock.now() + 1_000,
        lastError: { code, message: `${code} trouble` },
      });

      await loop.deliverDue();
      expect(sender.sent).toHaveLength(1); // not due yet
      fx.clock.advance(1_000);
      await loop.deliverDue();
      // Second failure: the window doubled to 4 s.
      expect(store.get(job.id)).toMatchObject({
        state: 'retry-wait',
        attempts: 2,
        nextAttemptAt: fx.clock.now() + 2_000,
      });

      fx.clock.advance(2_000);
      await loop.deliverDue();
      expect(store.get(job.id)).toMatchObject({
        state: 'done',
        attempts: 3,
        resends: 0,
        hasImages: false,
      });
    });
  }

  it('resends after an unknown outcome and shows how many times', async () => {
    const { store, loop, sender } = deliverySetup(fx);
    sender.answer(
      new VendorError('outcome-unknown', 'Connection reset after upload'),
      new VendorError('outcome-unknown', 'Timed out waiting for the answer'),
    );
    const job = store.enqueue(livenessJob());
    for (let i = 0; i < 3; i += 1) {
      await loop.deliverDue();
      fx.clock.advance(MINUTE);
    }
    expect(sender.sent).toHaveLength(3);
    expect(store.get(job.id)).toMatchObject({ state: 'done', resends: 2, attempts: 3 });
  });

  it('fails a job the vendor rejects, keeping the reason, and never sends it again', async () => {
    const { store, loop, sender } = deliverySetup(fx);
    sender.answer(
      new VendorError('rejected-input', 'No face found in the selfie.', { status: 400 }),
    );
    const job = store.enqueue(livenessJob());
    await loop.deliverDue();
    fx.clock.advance(MINUTE);
    await loop.deliverDue();
    expect(sender.sent).toHaveLength(1);
    expect(store.get(job.id)).toMatchObject({
      state: 'failed',
      hasImages: false,
      lastError: { code: 'rejected-input', message: 'No face found in the selfie.' },
    });
  });

  it('pauses a vendor that refuses the credentials, alerts staff, and resumes when they change', async () => {
    const { store, loop, sender, secrets, events } = deliverySetup(fx);
    sender.answer(new VendorError('auth', 'HTTP 401: invalid app_key', { status: 401 }));
    const first = store.enqueue(livenessJob());
    const second = store.enqueue(livenessJob());
    const other = store.enqueue(biometricKzJob());

    await loop.deliverDue();
    expect(loop.pausedVendors()).toEqual([
      expect.objectContaining({ vendor: 'kairos', reason: 'auth', until: null }),
    ]);
    expect(events.find((e) => e.name === 'vendor-paused')?.payload).toMatchObject({
      vendor: 'kairos',
      message: expect.stringMatching(/kiosk-verify secrets set kairos/),
    });
    // The refused attempt is not burned; the other vendor is not held up.
    expect(store.get(first.id)).toMatchObject({
      state: 'queued',
      attempts: 0,
      lastError: { code: 'auth' },
    });
    expect(store.get(second.id)?.state).toBe('queued');
    expect(store.get(other.id)?.state).toBe('done');

    fx.clock.advance(60 * MINUTE);
    await loop.checkPausedVendors();
    await loop.deliverDue();
    expect(sender.sent.filter((s) => s.credentials.vendor === 'kairos')).toHaveLength(1);

    await writeVendorCredentials(secrets, {
      vendor: 'kairos',
      appId: 'app-id-1',
      appKey: 'app-key-2',
    });
    await loop.checkPausedVendors();
    expect(events.some((e) => e.name === 'vendor-resumed')).toBe(true);
    await loop.deliverDue();
    expect(store.get(first.id)?.state).toBe('done');
    expect(store.get(second.id)?.state).toBe('done');
    expect(sender.sent.at(-1)?.credentials).toEqual({
      vendor: 'kairos',
      appId: 'app-id-1',
      appKey: 'app-key-2',
    });
  });

  it('pauses a vendor over its usage limit for the configured cool-down', async () => {
    const { store, loop, sender, events } = deliverySetup(fx, {
      policy: { usageLimitCooldownMs: 10 * MINUTE },
    });
    sender.answer(new VendorError('usage-limit', 'HTTP 403: usage limit reached', { status: 403 }));
    const job = store.enqueue(livenessJob());

    await loop.deliverDue();
    const pausedAt = fx.clock.now();
    expect(events.find((e) => e.name === 'vendor-paused')?.payload).toMatchObject({
      vendor: 'kairos',
      reason: 'usage-limit',
      until: pausedAt + 10 * MINUTE,
    });
    expect(store.get(job.id)).toMatchObject({ state: 'queued', attempts: 0 });

    fx.clock.advance(10 * MINUTE - 1);
    await loop.deliverDue();
    expect(sender.sent).toHaveLength(1);

    fx.clock.advance(1);
    await loop.deliverDue();
    expect(events.some((e) => e.name === 'vendor-resumed')).toBe(true);
    expect(store.get(job.id)?.state).toBe('done');
  });

  it('expires a job instead of scheduling a retry past its maximum age', async () => {
    const { store, loop, sender } = deliverySetup(fx);
    sender.answer(new VendorError('server', 'HTTP 502'));
    const job = store.enqueue(livenessJob());
    fx.clock.advance(72 * 60 * MINUTE - 500);
    await loop.deliverDue();
    expect(store.get(job.id)).toMatchObject({
      state: 'expired',
      hasImages: false,
      lastError: { code: 'max-age', message: expect.stringMatching(/HTTP 502/) },
    });
  });

  it('holds a vendor whose credentials are not set, and starts once they are', async () => {
    const secrets = new MemorySecretStore({ ...KZ_SECRETS });
    const { store, loop, sender, events } = deliverySetup(fx, { secrets });
    const job = store.enqueue(livenessJob());
    await loop.deliverDue();
    expect(sender.sent).toHaveLength(0);
    expect(events.find((e) => e.name === 'vendor-paused')?.payload).toMatchObject({
      vendor: 'kairos',
      reason: 'credentials-unavailable',
      message: expect.stringMatching(/not set/),
    });
    expect(store.get(job.id)).toMatchObject({ state: 'queued', attempts: 0 });

    await writeVendorCredentials(secrets, { vendor: 'kairos', appId: 'id', appKey: 'key' });
    loop.credentialsChanged('kairos');
    await loop.deliverDue();
    expect(store.get(job.id)?.state).toBe('done');
  });

  it('reads the credentials from the keychain at every send', async () => {
    const { store, loop, sender, secrets } = deliverySetup(fx);
    store.enqueue(livenessJob());
    await loop.deliverDue();
    await writeVendorCredentials(secrets, {
      vendor: 'kairos',
      appId: 'rotated-id',
      appKey: 'app-key-1',
    });
    store.enqueue(livenessJob());
    await loop.deliverDue();
    expect(sender.sent.map((s) => s.credentials)).toEqual([
      { vendor: 'kairos', appId: 'app-id-1', appKey: 'app-key-1' },
      { vendor: 'kairos', appId: 'rotated-id', appKey: 'app-key-1' },
    ]);
  });

  it('shares one keychain read among sends that start together, and reads again later', async () => {
    let reads = 0;
    const secrets = new MemorySecretStore({ ...KAIROS_SECRETS });
    const get = secrets.get.bind(secrets);
    secrets.get = (key) => {
      reads += 1;
      return get(key);
    };
    const { store, loop, sender } = deliverySetup(fx, { secrets, concurrency: { kairos: 4 } });
    for (let i = 0; i < 4; i += 1) store.enqueue(livenessJob());
    await loop.deliverDue();
    expect(sender.sent).toHaveLength(4);
    expect(reads).toBe(1); // the one Kairos entry, once for the four sends
    store.enqueue(livenessJob());
    await loop.deliverDue();
    expect(reads).toBe(2);
  });

  it('retries a gateway bug (not a VendorError) instead of losing the job', async () => {
    const { store, loop, sender } = deliverySetup(fx);
    sender.answer(new TypeError('cannot read properties of undefined'));
    const job = store.enqueue(livenessJob());
    await loop.deliverDue();
    expect(store.get(job.id)).toMatchObject({
      state: 'retry-wait',
      lastError: { code: 'unexpected' },
    });
  });
});
