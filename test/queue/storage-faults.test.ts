/**
 * The queue when its storage fails under it: a full file or disk, a damaged page. Real SQLite
 * files; the limit is SQLite's own max_page_count (JobStoreOptions.maxBytes), the damage a page
 * of the file written over. Nothing accepted is lost, nothing is sent twice.
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryLoop } from '../../main/queue/delivery/delivery-loop.js';
import type { DeliveryPolicy } from '../../main/queue/delivery/delivery-policy.js';
import type { JobStore } from '../../main/queue/store/job-store.js';
import { StorageError } from '../../main/queue/store/storage-errors.js';
import type { QueueEventMap } from '../../main/queue/queue-events.js';
import { ManualConnectivity } from '../../main/connectivity/connectivity.js';
import { MemorySecretStore } from '../../main/secrets/memory-secret-store.js';
import { KAIROS_SECRETS } from './delivery-setup.js';
import { FakeSender } from './fake-sender.js';
import {
  fakeJpeg,
  livenessJob,
  livenessResult,
  preparedJpeg,
  queueFixture,
  type QueueFixture,
} from './queue-fixtures.js';

let fx: QueueFixture;
beforeEach(() => {
  fx = queueFixture();
});
afterEach(() => fx.cleanup());

/** A vendor answer too big to fit in the pages left: storing it needs new pages. */
function bulkyResult(): ReturnType<typeof livenessResult> {
  return { ...livenessResult(), raw: { note: 'x'.repeat(16_000) } };
}

/** A sender whose vendor answers while the disk fills up: the answer cannot be stored. */
function senderFillingTheDisk(store: JobStore): FakeSender {
  return new FakeSender().always(async () => {
    store.setMaxBytes(1);
    return bulkyResult();
  });
}

/** A delivery loop over the fixture's store, always online, on the fixture's clock. */
function loopOver(
  store: JobStore,
  sender: FakeSender,
  policy: Partial<DeliveryPolicy> = {},
): DeliveryLoop {
  return new DeliveryLoop({
    store,
    sender,
    secrets: new MemorySecretStore({ ...KAIROS_SECRETS }),
    connectivity: new ManualConnectivity(true),
    clock: fx.clock,
    policy,
  });
}

describe('an outcome that cannot be stored', () => {
  it('stops delivery at once, keeps the answer, never resends it, and stores it when room returns', async () => {
    const store = fx.open();
    const ids = Array.from({ length: 40 }, () => store.enqueue(livenessJob()).id);
    const sender = senderFillingTheDisk(store);
    const problems: QueueEventMap['storage-problem'][] = [];
    store.events.on('storage-problem', (problem) => problems.push(problem));
    const recovered: string[] = [];
    store.events.on('storage-recovered', ({ file }) => recovered.push(file));
    // Short leases and retries: if anything could claim the job again, it would here.
    const loop = loopOver(store, sender, { leaseMs: 60, storageRetryMs: 100, idlePollMs: 20 });
    await loop.start();
    try {
      await expect.poll(() => problems.length).toBeGreaterThan(0);
      expect(problems[0]).toMatchObject({ problem: 'full', file: fx.file, unrecorded: 1 });
      expect(problems[0]!.message).toContain(fx.file);
      // Well past many leases and retries: still the one send, nothing else claimed.
      fx.clock.advance(10 * 60_000);
      await sleep(600);
      expect(sender.sent).toHaveLength(1);
      expect(loop.storageProblem()).toMatchObject({ problem: 'full', unrecorded: 1 });

      // Room again: the answer kept in memory is stored, and delivery goes on.
      sender.always(livenessResult());
      store.setMaxBytes(null);
      await expect.poll(() => store.totals().done, { timeout: 10_000 }).toBe(40);
      expect(recovered).toEqual([fx.file]);
      expect(sender.sent).toHaveLength(40);
      const first = store.get(ids[0]!)!;
      expect(first.state).toBe('done');
      expect(first.result?.raw).toEqual({ note: 'x'.repeat(16_000) });
      expect(first.resends).toBe(0);
    } finally {
      await loop.stop();
    }
  });

  it('ends a drain with the storage problem instead of looping', async () => {
    const store = fx.open();
    for (let i = 0; i < 10; i += 1) store.enqueue(livenessJob());
    const sender = senderFillingTheDisk(store);
    const loop = loopOver(store, sender, { leaseMs: 60, storageRetryMs: 50 });
    const summary = await loop.drain();
    expect(summary.storageProblem).toMatchObject({ problem: 'full', unrecorded: 1 });
    expect(sender.sent).toHaveLength(1);
  });
});

describe('an answer still unrecorded when the process ends', () => {
  it('is stored by the next start, and its job is not sent again', async () => {
    const store = fx.open();
    const ids = Array.from({ length: 3 }, () => store.enqueue(livenessJob()).id);
    const first = senderFillingTheDisk(store);
    const loop = loopOver(store, first, { storageRetryMs: 50 });
    const summary = await loop.drain();
    expect(summary.storageProblem).toMatchObject({ unrecorded: 1 });
    expect(first.sent).toHaveLength(1);
    store.close();

    // The next run, with room again: the kept answer is stored, the other two are sent.
    const next = fx.open();
    const second = new FakeSender();
    const again = loopOver(next, second);
    const after = await again.drain();
    expect(after.totals).toMatchObject({ done: 3, queued: 0, sending: 0 });
    expect(second.sent).toHaveLength(2);
    const firstJob = next.get(ids[0]!)!;
    expect(firstJob.result?.raw).toEqual({ note: 'x'.repeat(16_000) });
    expect(firstJob.resends).toBe(0);
    expect(existsSync(`${fx.file}.unrecorded.jsonl`)).toBe(false);
  });
});

describe('enqueue on a full queue file', () => {
  it('refuses with a typed error before writing anything', () => {
    const store = fx.open();
    store.enqueue(livenessJob());
    const before = readFileSync(fx.file).length;
    store.setMaxBytes(before + 16 * 1024);
    const big = livenessJob({
      request: {
        kind: 'liveness',
        api: 'kairos-liveness-v0.2',
        selfie: preparedJpeg('big.jpg', fakeJpeg(256 * 1024)),
        threshold: 0.6,
      },
    });
    const refused = (() => {
      try {
        store.enqueue(big);
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(StorageError);
    expect(refused).toMatchObject({ code: 'storage', problem: 'full', retryable: false });
    expect((refused as Error).message).toContain(fx.file);
    expect(store.list()).toHaveLength(1);
    // A small job still fits: the queue keeps working.
    store.setMaxBytes(null);
    expect(store.enqueue(livenessJob()).state).toBe('queued');
  });
});

/** The page number of the jobs table's right-most leaf (its newest rows). */
function newestJobsLeaf(file: string): { page: number; pageSize: number } {
  const db = new BetterSqlite3(file, { readonly: true });
  const root = (
    db.prepare(`SELECT rootpage FROM sqlite_schema WHERE name = 'jobs'`).get() as {
      rootpage: number;
    }
  ).rootpage;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const bytes = readFileSync(file);
  let page = root;
  for (;;) {
    const at = (page - 1) * pageSize + (page === 1 ? 100 : 0);
    if (bytes[at] !== 0x05) return { page, pageSize }; // not an interior table page: a leaf
    page = bytes.readUInt32BE(at + 8);
  }
}

describe('a damaged queue file', () => {
  it('is moved aside, a new queue opens, and recover brings back every readable job', async () => {
    const store = fx.open();
    const jobs = Array.from({ length: 60 }, () =>
      store.enqueue(
        livenessJob({
          request: {
            kind: 'liveness',
            api: 'kairos-liveness-v0.2',
            selfie: preparedJpeg('s.jpg', fakeJpeg(600)),
            threshold: 0.6,
          },
        }),
      ),
    );
    store.close();
    const { page, pageSize } = newestJobsLeaf(fx.file);
    const fd = openSync(fx.file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (page - 1) * pageSize);
    closeSync(fd);

    const reopened = fx.open();
    expect(reopened.movedAside).toMatch(/queue\.sqlite\.damaged-/);
    expect(existsSync(reopened.movedAside!)).toBe(true);
    expect(reopened.list()).toEqual([]);
    // The kiosk keeps queueing.
    const fresh = reopened.enqueue(livenessJob());

    const report = reopened.salvageFrom(reopened.movedAside!);
    expect(report.recovered).toBeGreaterThan(30);
    expect(report.recovered).toBeLessThan(60);
    expect(report.unreadable).toBeGreaterThan(0);
    const ids = new Set(reopened.list(1000).map((job) => job.id));
    expect(ids.has(fresh.id)).toBe(true);
    const back = jobs.filter((job) => ids.has(job.id));
    expect(back).toHaveLength(report.recovered);
    for (const job of back)
      expect(reopened.get(job.id)).toMatchObject({ state: 'queued', ticket: job.ticket });
    // A second recover of the same file adds nothing.
    expect(reopened.salvageFrom(reopened.movedAside!)).toMatchObject({ recovered: 0 });

    // The recovered jobs decrypt and deliver under the same data key.
    const sender = new FakeSender();
    const loop = loopOver(reopened, sender);
    const summary = await loop.drain();
    expect(summary.totals).toMatchObject({ done: report.recovered + 1, failed: 0, queued: 0 });
    // The damaged file is kept.
    expect(existsSync(reopened.movedAside!)).toBe(true);
  });
});
