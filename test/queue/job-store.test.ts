import { spawnSync } from 'node:child_process';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../main/clock/clock.js';
import { newLeaseOwner } from '../../main/queue/lease-owner.js';
import { SCHEMA_VERSION } from '../../main/queue/store/migrations.js';
import { TICKET_ALPHABET } from '../../main/queue/store/ticket.js';
import {
  livenessJob,
  livenessResult,
  matchJob,
  queueFixture,
  type QueueFixture,
} from './queue-fixtures.js';

const LEASE = 2 * MINUTE;

describe('job store', () => {
  let fx: QueueFixture;
  beforeEach(() => {
    fx = queueFixture();
  });
  afterEach(() => fx.cleanup());

  it('keeps an enqueued job, with a ticket staff can read aloud, across a restart', () => {
    const job = fx.open().enqueue(livenessJob());
    expect(job.state).toBe('queued');
    expect(job.ticket).toMatch(new RegExp(`^[${TICKET_ALPHABET}]{6}$`));

    const reopened = fx.open();
    const found = reopened.getByTicket(job.ticket.toLowerCase().replace(/^(...)/, '$1-'));
    expect(found).toMatchObject({
      id: job.id,
      state: 'queued',
      api: 'kairos-liveness-v0.2',
      vendor: 'kairos',
      staffRef: 'teller-7',
      consent: { acceptedAt: '2025-01-06T09:00:00.000Z', textVersion: '2025-01' },
      options: { kind: 'liveness', threshold: 0.6 },
      hasImages: true,
    });
  });

  it('gives back exactly the images that were queued', () => {
    const store = fx.open();
    const newJob = matchJob();
    const job = store.enqueue(newJob);
    const claimed = store.claimNext('kairos', newLeaseOwner(), LEASE);
    expect(claimed?.id).toBe(job.id);
    const request = store.loadRequest(claimed!);
    expect(request).toEqual(newJob.request);
  });

  it('treats enqueueing the same job id twice as one job', () => {
    const store = fx.open();
    const first = store.enqueue(livenessJob({ id: '0b6f3c8e-3f0c-4a4e-9d0c-2a1f7d7b9b11' }));
    const second = store.enqueue(livenessJob({ id: first.id }));
    expect(second.ticket).toBe(first.ticket);
    expect(store.totals().queued).toBe(1);
  });

  it('refuses a verification that is not valid, with a reason', () => {
    const store = fx.open();
    const bad = livenessJob();
    bad.request.threshold = 1.5;
    expect(() => store.enqueue(bad)).toThrow(/threshold/);
    expect(store.totals().queued).toBe(0);
  });

  it('hands a job to only one of two drainers on the same file', () => {
    const appStore = fx.open();
    const cliStore = fx.open();
    for (let i = 0; i < 20; i += 1) appStore.enqueue(livenessJob());
    const app = newLeaseOwner();
    const cli = newLeaseOwner();
    const claimed: string[] = [];
    for (;;) {
      const a = appStore.claimNext('kairos', app, LEASE);
      const b = cliStore.claimNext('kairos', cli, LEASE);
      if (!a && !b) break;
      if (a) claimed.push(a.id);
      if (b) claimed.push(b.id);
    }
    expect(claimed).toHaveLength(20);
    expect(new Set(claimed).size).toBe(20);
  });

  it('claims the oldest job first and only the vendor asked for', () => {
    const store = fx.open();
    const first = store.enqueue(livenessJob());
    fx.clock.advance(1_000);
    store.enqueue(livenessJob());
    expect(store.claimNext('biometric-kz', newLeaseOwner(), LEASE)).toBeNull();
    expect(store.claimNext('kairos', newLeaseOwner(), LEASE)?.id).toBe(first.id);
  });

  it('stores a result exactly once and deletes the images with it', () => {
    const store = fx.open();
    const job = store.enqueue(livenessJob());
    store.claimNext('kairos', newLeaseOwner(), LEASE);
    expect(store.storeResult(job.id, livenessResult())).toBe('stored');
    const late = { ...livenessResult(), requestId: 'second-answer' };
    expect(store.storeResult(job.id, late)).toBe('already-finished');
    const done = store.get(job.id);
    expect(done).toMatchObject({ state: 'done', hasImages: false, attempts: 1 });
    expect(done?.result?.requestId).toBe('req-1');
  });

  it('waits a retry until it is due, then hands it out again', () => {
    const store = fx.open();
    const owner = newLeaseOwner();
    const job = store.enqueue(livenessJob());
    store.claimNext('kairos', owner, LEASE);
    const at = fx.clock.now() + 5_000;
    store.scheduleRetry(job.id, owner, {
      at,
      error: { code: 'server', message: 'HTTP 503' },
      outcomeUnknown: false,
    });
    expect(store.get(job.id)).toMatchObject({
      state: 'retry-wait',
      nextAttemptAt: at,
      lastError: { code: 'server', message: 'HTTP 503' },
    });
    expect(store.claimNext('kairos', owner, LEASE)).toBeNull();
    fx.clock.advance(5_000);
    expect(store.claimNext('kairos', owner, LEASE)).toMatchObject({ id: job.id, attempts: 2 });
  });

  it('does not let a drainer whose lease was taken over overwrite the new state', () => {
    const store = fx.open();
    const stale = newLeaseOwner();
    const fresh = newLeaseOwner();
    const job = store.enqueue(livenessJob());
    store.claimNext('kairos', stale, LEASE);
    fx.clock.advance(LEASE);
    expect(store.claimNext('kairos', fresh, LEASE)).toMatchObject({ id: job.id, resends: 1 });
    const at = fx.clock.now() + 1_000;
    expect(
      store.scheduleRetry(job.id, stale, {
        at,
        error: { code: 'network', message: 'x' },
        outcomeUnknown: false,
      }),
    ).toBe(false);
    expect(store.get(job.id)?.state).toBe('sending');
  });

  it('puts a job left sending by a dead process back in the queue at start-up', () => {
    const store = fx.open();
    const job = store.enqueue(livenessJob());
    const exited = spawnSync(process.execPath, ['-e', '0']);
    const deadOwner = { ...newLeaseOwner(), pid: exited.pid! };
    store.claimNext('kairos', deadOwner, LEASE);
    store.close();

    const restarted = fx.open();
    expect(restarted.recoverInterrupted()).toBe(1);
    expect(restarted.get(job.id)).toMatchObject({ state: 'queued', resends: 1, hasImages: true });
  });

  it('leaves a job alone at start-up while its live drainer is still sending it', () => {
    const store = fx.open();
    const job = store.enqueue(livenessJob());
    store.claimNext('kairos', newLeaseOwner(), LEASE); // this very process: alive
    const other = fx.open();
    expect(other.recoverInterrupted()).toBe(0);
    expect(other.get(job.id)?.state).toBe('sending');
    fx.clock.advance(LEASE);
    expect(other.recoverInterrupted()).toBe(1);
  });

  it('ends a job as failed with its reason and deletes its images', () => {
    const store = fx.open();
    const job = store.enqueue(livenessJob());
    store.finish(job.id, 'failed', { code: 'rejected-input', message: 'No face found.' });
    expect(store.get(job.id)).toMatchObject({
      state: 'failed',
      hasImages: false,
      lastError: { code: 'rejected-input', message: 'No face found.' },
    });
    expect(() => store.retryNow(job.id)).toThrow(/verify the customer again/);
  });

  it('lets staff send a waiting job now, or discard it', () => {
    const store = fx.open();
    const owner = newLeaseOwner();
    const waiting = store.enqueue(livenessJob());
    store.claimNext('kairos', owner, LEASE);
    store.scheduleRetry(waiting.id, owner, {
      at: fx.clock.now() + 60_000,
      error: { code: 'network', message: 'offline' },
      outcomeUnknown: false,
    });
    expect(store.retryNow(waiting.id).state).toBe('queued');
    expect(store.discard(waiting.id)).toMatchObject({
      state: 'failed',
      hasImages: false,
      lastError: { code: 'discarded' },
    });
  });

  it('creates the schema with WAL, full sync and incremental vacuum', () => {
    fx.open();
    const db = new BetterSqlite3(fx.file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer version instead of damaging it', () => {
    fx.open().close();
    const db = new BetterSqlite3(fx.file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => fx.open()).toThrow(/newer than this app/);
  });

  it('fails a damaged job record instead of crashing, and keeps serving the others', () => {
    const store = fx.open();
    const damaged = store.enqueue(livenessJob());
    const healthy = store.enqueue(livenessJob());
    const db = new BetterSqlite3(fx.file);
    db.prepare(`UPDATE jobs SET options = '{"kind":"liveness"' WHERE id = ?`).run(damaged.id);
    db.close();

    expect(store.claimNext('kairos', newLeaseOwner(), LEASE)?.id).toBe(healthy.id);
    expect(store.list().map((job) => job.id)).toEqual([healthy.id]);
    const totals = store.totals();
    expect(totals.failed).toBe(1);
  });
});
