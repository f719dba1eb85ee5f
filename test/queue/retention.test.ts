import { statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../main/clock/clock.js';
import { newLeaseOwner } from '../../main/queue/lease-owner.js';
import {
  fakeJpeg,
  livenessJob,
  livenessResult,
  preparedJpeg,
  queueFixture,
  type QueueFixture,
} from './queue-fixtures.js';

describe('retention and expiry', () => {
  let fx: QueueFixture;
  beforeEach(() => {
    fx = queueFixture();
  });
  afterEach(() => fx.cleanup());

  it('expires a job not delivered within 72 hours and deletes its images', () => {
    const store = fx.open();
    const job = store.enqueue(livenessJob());
    fx.clock.advance(72 * HOUR - MINUTE);
    expect(store.sweep().expired).toBe(0);
    expect(store.get(job.id)).toMatchObject({ state: 'queued', hasImages: true });

    fx.clock.advance(MINUTE);
    expect(store.sweep().expired).toBe(1);
    expect(store.get(job.id)).toMatchObject({
      state: 'expired',
      hasImages: false,
      lastError: { code: 'max-age', message: expect.stringMatching(/72 h/) },
    });
  });

  it('never hands out a job past its maximum age, even before the sweep runs', () => {
    const store = fx.open({ maxAgeMs: 6 * HOUR });
    store.enqueue(livenessJob());
    fx.clock.advance(6 * HOUR);
    expect(store.claimNext('kairos', newLeaseOwner(), MINUTE)).toBeNull();
  });

  it('purges results after the retention period, not before', () => {
    const store = fx.open({ retentionMs: 30 * DAY });
    const job = store.enqueue(livenessJob());
    store.claimNext('kairos', newLeaseOwner(), MINUTE);
    store.storeResult(job.id, livenessResult());

    fx.clock.advance(30 * DAY - 1);
    expect(store.sweep().purged).toBe(0);
    expect(store.get(job.id)?.result).not.toBeNull();

    fx.clock.advance(1);
    expect(store.sweep().purged).toBe(1);
    expect(store.get(job.id)).toBeNull();
  });

  it('does not expire a job while a live drainer is sending it', () => {
    const store = fx.open();
    const job = store.enqueue(livenessJob());
    fx.clock.advance(72 * HOUR - MINUTE);
    store.claimNext('kairos', newLeaseOwner(), 2 * MINUTE);
    fx.clock.advance(MINUTE);
    expect(store.sweep().expired).toBe(0);
    expect(store.storeResult(job.id, livenessResult())).toBe('stored');
  });

  it('gives the space of deleted images back to the file system', () => {
    const store = fx.open();
    const jobs = Array.from({ length: 40 }, () =>
      store.enqueue(
        livenessJob({
          request: {
            kind: 'liveness',
            api: 'kairos-liveness-v0.2',
            selfie: preparedJpeg('s.jpg', fakeJpeg(150_000)),
            threshold: 0.6,
          },
        }),
      ),
    );
    const checkpoint = () => {
      const db = new BetterSqlite3(fx.file);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      return statSync(fx.file).size;
    };
    const full = checkpoint();
    expect(full).toBeGreaterThan(40 * 150_000);

    for (const job of jobs) store.finish(job.id, 'failed', { code: 'discarded', message: 'test' });
    expect(checkpoint()).toBeLessThan(full / 10);
  });
});
