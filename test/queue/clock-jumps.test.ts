/**
 * Clocks that jump: kiosks lose their clock (a flat CMOS battery, NTP correcting it hours
 * later). A jump of the wall clock never expires or strands a job; real time still does.
 *
 * Real parts: SQLite files in temporary folders, the delivery loop, the event log. The clock
 * is a ManualClock: advance() lets time pass, jumpWall()/set() only set the wall clock,
 * reboot() starts a new boot whose monotonic clock begins again.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog, logQueueEvents } from '../../main/log/event-log.js';
import { DEFAULT_BACKOFF } from '../../main/queue/delivery/backoff.js';
import { DAY, HOUR, MINUTE, SECOND, systemClock } from '../../main/clock/clock.js';
import { newLeaseOwner } from '../../main/queue/lease-owner.js';
import { VendorError } from '../../main/vendors/vendor-error.js';
import { deliverySetup, type RecordedQueueEvent } from './delivery-setup.js';
import { livenessJob, queueFixture, type QueueFixture } from './queue-fixtures.js';

const YEAR = 365 * DAY;
const LEASE = 2 * MINUTE;

function clockJumps(events: RecordedQueueEvent[]) {
  return events.flatMap((e) => (e.name === 'clock-jump' ? [e.payload] : []));
}

describe('clocks that jump', () => {
  let fx: QueueFixture;
  beforeEach(() => {
    fx = queueFixture();
  });
  afterEach(() => fx.cleanup());

  it('delivers a job queued while the clock was years behind, after NTP sets it right', async () => {
    // Booted with a flat battery: the wall clock reads 2019.
    fx.clock.set(Date.UTC(2019, 0, 1));
    const { store, loop, sender, events } = deliverySetup(fx);
    const job = store.enqueue(livenessJob());
    fx.clock.advance(5 * SECOND);
    // NTP: six years forward in a moment; only five seconds really passed.
    const jumpMs = Date.UTC(2025, 0, 6, 9, 0, 0) - fx.clock.now();
    fx.clock.jumpWall(jumpMs);

    expect(store.sweep().expired).toBe(0);
    expect(store.get(job.id)).toMatchObject({ state: 'queued', ageMs: 5 * SECOND });
    expect(clockJumps(events)).toEqual([{ jumpMs, at: fx.clock.now(), acrossReboot: false }]);

    await loop.deliverDue();
    expect(store.get(job.id)?.state).toBe('done');
    expect(sender.sent).toHaveLength(1);
  });

  it('expires nothing when a drain runs with the clock four days ahead, and reports the jump', async () => {
    const { store, loop, events } = deliverySetup(fx);
    for (let i = 0; i < 3; i += 1) store.enqueue(livenessJob());
    fx.clock.advance(HOUR);
    fx.clock.jumpWall(4 * DAY);

    const summary = await loop.drain();
    expect(summary.totals).toMatchObject({ done: 3, expired: 0, queued: 0 });
    expect(clockJumps(events)).toEqual([
      { jumpMs: 4 * DAY, at: fx.clock.now(), acrossReboot: false },
    ]);
  });

  it('keeps a retry’s real delay when the clock is set ahead, and expires nothing', async () => {
    const { store, loop, sender } = deliverySetup(fx);
    sender.answer(new VendorError('server', 'HTTP 503'));
    const job = store.enqueue(livenessJob());
    await loop.deliverDue();
    const dueAt = fx.clock.now() + 1_000; // mid-window jitter of the first 2 s window
    expect(store.get(job.id)).toMatchObject({ state: 'retry-wait', nextAttemptAt: dueAt });

    fx.clock.jumpWall(4 * DAY);
    await loop.deliverDue();
    expect(sender.sent).toHaveLength(1); // still a second away, as meant
    expect(store.get(job.id)?.nextAttemptAt).toBe(dueAt + 4 * DAY);
    expect(store.sweep().expired).toBe(0);

    fx.clock.advance(1_000);
    await loop.deliverDue();
    expect(store.get(job.id)).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('makes a retry scheduled while the clock was a year ahead due once the clock is set back', async () => {
    const { store, loop, sender, events } = deliverySetup(fx);
    fx.clock.jumpWall(YEAR);
    sender.answer(new VendorError('network', 'ENETUNREACH'));
    const job = store.enqueue(livenessJob());
    await loop.deliverDue();
    expect(store.get(job.id)?.nextAttemptAt).toBe(fx.clock.now() + 1_000);

    fx.clock.jumpWall(-YEAR);
    await loop.deliverDue();
    // Re-based: as far from the present as it was meant to be, within the backoff cap.
    const nextAttemptAt = store.get(job.id)?.nextAttemptAt ?? Infinity;
    expect(nextAttemptAt).toBe(fx.clock.now() + 1_000);
    expect(nextAttemptAt).toBeLessThanOrEqual(fx.clock.now() + DEFAULT_BACKOFF.capMs);
    expect(clockJumps(events).map((jump) => jump.jumpMs)).toEqual([YEAR, -YEAR]);
    // The UI was told the new time.
    expect(events.filter((e) => e.name === 'job-changed').at(-1)?.payload).toMatchObject({
      id: job.id,
      nextAttemptAt,
    });

    fx.clock.advance(1_000);
    await loop.deliverDue();
    expect(store.get(job.id)?.state).toBe('done');
  });

  it('never waits longer than the backoff cap or a lease on a time no tick could re-base', () => {
    const store = fx.open();
    const owner = newLeaseOwner();
    const waiting = store.enqueue(livenessJob());
    const sending = store.enqueue(livenessJob());
    store.claimNext('kairos', owner, LEASE);
    store.scheduleRetry(waiting.id, owner, {
      at: fx.clock.now() + 1_000,
      error: { code: 'server', message: 'HTTP 503' },
      outcomeUnknown: false,
    });
    store.claimNext('kairos', owner, LEASE);
    // As a jump no tick saw would leave them (e.g. written by a copy of the file elsewhere).
    const db = new BetterSqlite3(fx.file);
    db.prepare(`UPDATE jobs SET next_attempt_at = ? WHERE id = ?`).run(
      fx.clock.now() + YEAR,
      waiting.id,
    );
    db.prepare(`UPDATE jobs SET lease_until = ? WHERE id = ?`).run(
      fx.clock.now() + YEAR,
      sending.id,
    );
    db.close();

    const other = newLeaseOwner();
    expect(store.claimNext('kairos', other, LEASE)?.id).toBe(waiting.id);
    expect(store.claimNext('kairos', other, LEASE)).toMatchObject({ id: sending.id, resends: 1 });
  });

  it('still expires a job the kiosk really kept past its maximum age, though the clock went back', () => {
    const store = fx.open();
    const job = store.enqueue(livenessJob());
    fx.clock.jumpWall(-YEAR);
    fx.clock.advance(72 * HOUR - MINUTE);
    expect(store.sweep().expired).toBe(0);
    fx.clock.advance(MINUTE);
    expect(store.sweep().expired).toBe(1);
    expect(store.get(job.id)).toMatchObject({ state: 'expired', lastError: { code: 'max-age' } });
  });

  it('counts the time a kiosk was switched off, when the clock moved forward plausibly', () => {
    const job = fx.open().enqueue(livenessJob());
    fx.clock.advance(60 * HOUR);
    fx.clock.reboot({ downMs: 10 * HOUR });

    const store = fx.open();
    expect(store.sweep().expired).toBe(0);
    expect(store.get(job.id)?.ageMs).toBe(70 * HOUR);
    fx.clock.advance(2 * HOUR);
    expect(store.sweep().expired).toBe(1);
  });

  it('takes a clock that comes back years behind after a reboot as a jump, not time travel', async () => {
    const first = deliverySetup(fx);
    first.sender.answer(new VendorError('server', 'HTTP 502'));
    const job = first.store.enqueue(livenessJob());
    await first.loop.deliverDue();
    const before = fx.clock.now();

    // Switched off; it boots with a flat battery, reading 1 January 2000.
    fx.clock.reboot({ wall: Date.UTC(2000, 0, 1) });
    const { store, loop, events } = deliverySetup(fx);
    await loop.deliverDue();
    expect(clockJumps(events)).toEqual([
      { jumpMs: Date.UTC(2000, 0, 1) - before, at: fx.clock.now(), acrossReboot: true },
    ]);
    expect(store.get(job.id)).toMatchObject({
      state: 'retry-wait',
      nextAttemptAt: fx.clock.now() + 1_000,
    });

    // Ten minutes later NTP sets it right, 25 years forward: nothing expires.
    fx.clock.advance(10 * MINUTE);
    fx.clock.set(before + HOUR);
    expect(store.sweep().expired).toBe(0);
    expect(clockJumps(events).at(-1)).toMatchObject({ acrossReboot: false });
    expect(clockJumps(events).at(-1)?.jumpMs).toBeGreaterThan(20 * YEAR);
    expect(store.get(job.id)?.ageMs).toBe(10 * MINUTE);
    await loop.deliverDue();
    expect(store.get(job.id)).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('does not take a wall clock a couple of minutes off for a jump', () => {
    const { store, events } = deliverySetup(fx);
    store.enqueue(livenessJob());
    fx.clock.advance(10 * MINUTE);
    fx.clock.jumpWall(2 * MINUTE);
    store.sweep();
    expect(clockJumps(events)).toEqual([]);
  });

  it('re-bases a jump once, though the app and the CLI both find it', async () => {
    const app = deliverySetup(fx);
    app.sender.answer(new VendorError('server', 'HTTP 503'));
    const job = app.store.enqueue(livenessJob());
    await app.loop.deliverDue();
    const cli = fx.open();

    fx.clock.jumpWall(-YEAR);
    app.store.sweep();
    cli.sweep();
    expect(cli.get(job.id)?.nextAttemptAt).toBe(fx.clock.now() + 1_000);
  });

  it('ends a usage-limit cool-down after its real length though the clock is set back a year', async () => {
    const { store, loop, sender, events } = deliverySetup(fx, {
      policy: { usageLimitCooldownMs: 10 * MINUTE },
    });
    sender.answer(new VendorError('usage-limit', 'HTTP 403: usage limit reached', { status: 403 }));
    const job = store.enqueue(livenessJob());
    await loop.deliverDue();
    expect(loop.pausedVendors()).toEqual([expect.objectContaining({ reason: 'usage-limit' })]);

    fx.clock.advance(4 * MINUTE);
    fx.clock.jumpWall(-YEAR);
    await loop.deliverDue();
    // What staff see is the honest end, in the clock as it now reads.
    const until = fx.clock.now() + 6 * MINUTE;
    expect(loop.pausedVendors()).toEqual([expect.objectContaining({ until })]);
    expect(events.filter((e) => e.name === 'vendor-paused').at(-1)?.payload).toMatchObject({
      until,
    });

    fx.clock.advance(6 * MINUTE);
    await loop.deliverDue();
    expect(store.get(job.id)?.state).toBe('done');
    expect(loop.pausedVendors()).toEqual([]);
  });

  it('writes a clock jump to the event log', async () => {
    const store = fx.open();
    const log = new EventLog(join(fx.dir, 'logs', 'kiosk-verify.log'));
    const stop = logQueueEvents(store.events, log);
    fx.clock.jumpWall(4 * DAY);
    store.sweep();
    stop();
    await log.close();
    const lines = readFileSync(log.file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ event: 'clock-jump', jumpMs: 4 * DAY, acrossReboot: false }),
    );
  });

  it('gives the jobs of a queue from before observed time their age by the wall clock', () => {
    const job = fx.open().enqueue(livenessJob());
    fx.clock.advance(10 * HOUR);
    // Back to schema 1, as a kiosk upgrading from the previous version has it.
    const db = new BetterSqlite3(fx.file);
    db.exec(`
      DROP INDEX jobs_pending;
      ALTER TABLE jobs DROP COLUMN observed_at;
      ALTER TABLE jobs DROP COLUMN training;
      ALTER TABLE jobs DROP COLUMN quality;
      DROP TABLE queue_clock;
      CREATE INDEX jobs_pending ON jobs (vendor, created_at)
        WHERE state IN ('queued', 'sending', 'retry-wait');
      PRAGMA user_version = 1;
    `);
    db.close();

    const store = fx.open();
    expect(store.get(job.id)?.ageMs).toBe(10 * HOUR);
    fx.clock.advance(62 * HOUR - 1);
    expect(store.sweep().expired).toBe(0);
    fx.clock.advance(1);
    expect(store.sweep().expired).toBe(1);
  });

  it('reads the system’s monotonic clock and boot', async () => {
    const mono = systemClock.monotonic();
    const wall = systemClock.now();
    await sleep(20);
    expect(systemClock.monotonic() - mono).toBeGreaterThanOrEqual(15);
    expect(Math.abs(systemClock.now() - wall - (systemClock.monotonic() - mono))).toBeLessThan(
      1_000,
    );
    expect(systemClock.bootId()).toMatch(/\S/);
    expect(systemClock.bootId()).toBe(systemClock.bootId());
  });
});
