import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MINUTE } from '../../main/clock/clock.js';
import type { DeliveryLoop } from '../../main/queue/delivery/delivery-loop.js';
import { newLeaseOwner } from '../../main/queue/lease-owner.js';
import { VendorError } from '../../main/vendors/vendor-error.js';
import type { VerificationResult } from '../../model/result-model.js';
import { deliverySetup } from './delivery-setup.js';
import {
  biometricKzJob,
  livenessJob,
  livenessResult,
  queueFixture,
  type QueueFixture,
} from './queue-fixtures.js';

/** A send that stays open until the test lets it answer. */
function heldSend(): {
  answer: () => Promise<VerificationResult>;
  release: () => void;
  started: Promise<void>;
} {
  let release!: () => void;
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    answer: async () => {
      markStarted();
      await gate;
      return livenessResult();
    },
    release,
    started,
  };
}

describe('delivery loop', () => {
  let fx: QueueFixture;
  const loops: DeliveryLoop[] = [];
  beforeEach(() => {
    fx = queueFixture();
  });
  afterEach(async () => {
    for (const loop of loops.splice(0)) await loop.stop();
    fx.cleanup();
  });
  function setup(
    ...args: Parameters<typeof deliverySetup> extends [unknown, ...infer R] ? R : never
  ) {
    const s = deliverySetup(fx, ...args);
    loops.push(s.loop);
    return s;
  }

  it('sends nothing while offline and starts the moment the network returns', async () => {
    const { store, loop, sender, connectivity, events } = setup({ online: false });
    await loop.start();
    const job = store.enqueue(livenessJob());
    loop.wake();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sender.sent).toHaveLength(0);

    connectivity.set(true);
    await vi.waitFor(() => expect(store.get(job.id)?.state).toBe('done'));
    expect(events.filter((e) => e.name === 'connectivity').map((e) => e.payload)).toEqual([
      { online: false },
      { online: true },
    ]);
  });

  it('does not make a job that failed on the network wait out its backoff once the network is back', async () => {
    const { store, loop, sender, connectivity } = setup();
    sender.answer(new VendorError('network', 'ENETUNREACH'));
    const job = store.enqueue(livenessJob());
    await loop.start();
    await vi.waitFor(() => expect(store.get(job.id)?.state).toBe('retry-wait'));
    // Attempt the backoff would put minutes away: make it long.
    expect(store.get(job.id)?.nextAttemptAt).toBeGreaterThan(fx.clock.now());

    connectivity.set(false);
    connectivity.set(true);
    await vi.waitFor(() => expect(store.get(job.id)?.state).toBe('done'));
    expect(sender.sent).toHaveLength(2);
  });

  it('sends one job at a time per vendor, while vendors proceed side by side', async () => {
    const { store, loop, sender } = setup();
    const holds = [heldSend(), heldSend(), heldSend()];
    sender.answer(...holds.map((h) => h.answer));
    const a = store.enqueue(livenessJob());
    const b = store.enqueue(livenessJob());
    const kz = store.enqueue(biometricKzJob());
    await loop.start();
    await Promise.all([holds[0]!.started, holds[1]!.started]);
    expect(store.get(a.id)?.state).toBe('sending');
    expect(store.get(kz.id)?.state).toBe('sending');
    expect(store.get(b.id)?.state).toBe('queued');

    holds[0]!.release();
    holds[1]!.release();
    await holds[2]!.started;
    expect(store.get(b.id)?.state).toBe('sending');
    holds[2]!.release();
    await vi.waitFor(() => expect(store.totals().done).toBe(3));
  });

  it('runs more sends per vendor when configured to', async () => {
    const { store, loop, sender } = setup({ concurrency: { kairos: 2 } });
    const holds = [heldSend(), heldSend()];
    sender.answer(...holds.map((h) => h.answer));
    store.enqueue(livenessJob());
    store.enqueue(livenessJob());
    await loop.start();
    await Promise.all(holds.map((h) => h.started));
    expect(store.totals().sending).toBe(2);
    for (const h of holds) h.release();
    await vi.waitFor(() => expect(store.totals().done).toBe(2));
  });

  it('reports each job’s states, the totals, and drain progress as n of m', async () => {
    const { store, loop, events } = setup();
    const totals: unknown[] = [];
    store.events.on('totals', (t) => totals.push(t));
    const job = store.enqueue(livenessJob());
    store.enqueue(livenessJob());
    store.enqueue(livenessJob());
    const summary = await loop.drain();

    expect(summary).toMatchObject({ cancelled: false, pausedVendors: [] });
    expect(summary.totals).toMatchObject({ done: 3, queued: 0, sending: 0 });
    const states = events
      .filter((e) => e.name === 'job-changed' && e.payload.id === job.id)
      .map((e) => (e.name === 'job-changed' ? e.payload.state : ''));
    expect(states).toEqual(['queued', 'sending', 'done']);
    const progress = events.filter((e) => e.name === 'drain-progress').map((e) => e.payload);
    expect(progress.at(-1)).toEqual({ finished: 3, total: 3 });
    expect(progress).toContainEqual({ finished: 1, total: 3 });
    await vi.waitFor(() => expect(totals.at(-1)).toMatchObject({ done: 3 }));
  });

  it('puts a job it was sending back in the queue when stopped, counted as a resend', async () => {
    const { store, loop, sender } = setup();
    sender.answer(
      () =>
        new Promise((_, reject) => {
          // A gateway honouring the abort signal rejects when the loop stops.
          setTimeout(() => reject(new VendorError('outcome-unknown', 'aborted')), 20);
        }),
    );
    const job = store.enqueue(livenessJob());
    await loop.start();
    await vi.waitFor(() => expect(store.get(job.id)?.state).toBe('sending'));
    await loop.stop();
    expect(store.get(job.id)).toMatchObject({ state: 'queued', resends: 1, attempts: 0 });
  });

  it('recovers a send interrupted by a crash when it starts', async () => {
    const { store, loop } = setup();
    const job = store.enqueue(livenessJob());
    const exited = spawnSync(process.execPath, ['-e', '0']);
    store.claimNext('kairos', { ...newLeaseOwner(), pid: exited.pid! }, 2 * MINUTE);
    await loop.start();
    await vi.waitFor(() => expect(store.get(job.id)).toMatchObject({ state: 'done', resends: 1 }));
  });

  it('keeps delivering when a UI listener throws', async () => {
    const { store, loop, events } = setup();
    store.events.on('job-changed', () => {
      throw new Error('renderer went away');
    });
    const job = store.enqueue(livenessJob());
    await loop.drain();
    expect(store.get(job.id)?.state).toBe('done');
    expect(
      events.some(
        (e) => e.name === 'delivery-problem' && /renderer went away/.test(e.payload.message),
      ),
    ).toBe(true);
  });

  it('ends a drain with the vendor left paused when only paused work remains', async () => {
    const { store, loop, sender } = setup();
    sender.always(new VendorError('auth', 'HTTP 401'));
    store.enqueue(livenessJob());
    const summary = await loop.drain();
    expect(summary.pausedVendors).toEqual([
      expect.objectContaining({ vendor: 'kairos', reason: 'auth' }),
    ]);
    expect(summary.totals.queued).toBe(1);
  });
});
