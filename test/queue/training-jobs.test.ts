/**
 * Training jobs (made while the kiosk trains on its embedded emulator) and real ones share the
 * queue file but never each other's delivery: a store in real mode never claims a training job
 * (so practice never reaches a real vendor), and one in training mode never claims a real job
 * (so a real customer's verification is never answered by the emulator). Staff see the flag.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newLeaseOwner } from '../../main/queue/lease-owner.js';
import { summarizeJob } from '../../main/ipc/job-summary.js';
import { livenessJob, queueFixture, type QueueFixture } from './queue-fixtures.js';

const LEASE = 30_000;
let fx: QueueFixture;

afterEach(() => fx.cleanup());

describe('training jobs', () => {
  it('marks what a training store queues, and shows the mark to staff', () => {
    fx = queueFixture();
    const training = fx.open({ training: true });
    const practice = training.enqueue(livenessJob());
    expect(practice.training).toBe(true);
    expect(summarizeJob(practice).training).toBe(true);
    training.setTrainingMode(false);
    const real = training.enqueue(livenessJob());
    expect(real.training).toBe(false);
    expect(summarizeJob(training.get(real.id)!).training).toBe(false);
  });

  it('delivers each kind only in its own mode, across a restart that changes the mode', () => {
    fx = queueFixture();
    const first = fx.open({ training: true });
    const practice = first.enqueue(livenessJob());
    first.close();

    const live = fx.open({ training: false });
    const customer = live.enqueue(livenessJob());
    expect(live.pendingCount('kairos')).toBe(1);
    const owner = newLeaseOwner();
    const claimed = live.claimNext('kairos', owner, LEASE);
    expect(claimed?.id).toBe(customer.id);
    expect(live.claimNext('kairos', owner, LEASE)).toBeNull();
    // Nothing for this drainer to wait for: the training job is not its kind.
    expect(live.nextWakeAt('kairos', owner)).toBeNull();

    live.setTrainingMode(true);
    expect(live.pendingCount('kairos')).toBe(1);
    expect(live.claimNext('kairos', newLeaseOwner(), LEASE)?.id).toBe(practice.id);
  });
});
