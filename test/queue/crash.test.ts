import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../main/clock/clock.js';
import { ManualConnectivity } from '../../main/connectivity/connectivity.js';
import { DeliveryLoop } from '../../main/queue/delivery/delivery-loop.js';
import { JobStore } from '../../main/queue/store/job-store.js';
import { MemorySecretStore } from '../../main/secrets/memory-secret-store.js';
import { KAIROS_SECRETS } from './delivery-setup.js';
import { FakeSender } from './fake-sender.js';
import { queueFixture, type QueueFixture } from './queue-fixtures.js';
import { exited, lines, startQueueChild } from './queue-processes.js';

// Each crash point starts a Node process and kills it at a random moment: 200 points by
// default (about two minutes here); KIOSK_CRASH_POINTS=20 gives a quick local run.
const CRASH_POINTS = Number(process.env.KIOSK_CRASH_POINTS ?? 200);

interface Row {
  id: string;
  state: string;
  result: string | null;
  images: number;
}

describe('crash safety', () => {
  let fx: QueueFixture;
  beforeEach(() => {
    fx = queueFixture();
  });
  afterEach(() => fx.cleanup());

  it(`loses no acknowledged job and stores each result once across ${CRASH_POINTS} SIGKILLs`, async () => {
    const key = randomBytes(32);
    const acknowledged = new Set<string>();
    for (let point = 0; point < CRASH_POINTS; point += 1) {
      const child = startQueueChild(['enqueue-and-drain', fx.file], key);
      const out = lines(child);
      await out.waitFor('READY');
      await sleep(20 + Math.floor(Math.random() * 200));
      child.kill('SIGKILL');
      await exited(child);
      for (const line of out.all) if (line.startsWith('ACK ')) acknowledged.add(line.slice(4));

      const db = new BetterSqlite3(fx.file);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const rows = db
          .prepare(
            `SELECT id, state, result,
                 (SELECT COUNT(*) FROM job_images WHERE job_id = jobs.id) AS images FROM jobs`,
          )
          .all() as Row[];
        const byId = new Map(rows.map((row) => [row.id, row]));
        for (const id of acknowledged)
          expect(byId.has(id), `acknowledged job ${id} is missing`).toBe(true);
        for (const row of rows) {
          if (row.state === 'done')
            expect(row).toMatchObject({ result: expect.any(String), images: 0 });
          else expect(row).toMatchObject({ result: null, images: 1 });
        }
      } finally {
        db.close();
      }
    }
    expect(acknowledged.size).toBeGreaterThan(CRASH_POINTS);

    // After the last crash, a fresh drainer delivers everything that is left.
    const store = JobStore.open({ file: fx.file, dataKey: key });
    try {
      const loop = new DeliveryLoop({
        store,
        sender: new FakeSender(),
        secrets: new MemorySecretStore({ ...KAIROS_SECRETS }),
        connectivity: new ManualConnectivity(true),
      });
      const summary = await loop.drain();
      expect(summary.totals).toMatchObject({ queued: 0, sending: 0, 'retry-wait': 0, failed: 0 });
      // Jobs committed just before a kill but not yet acknowledged are delivered too.
      for (const id of acknowledged) expect(store.get(id)?.state).toBe('done');
    } finally {
      store.close();
    }
  }, 900_000);
});

describe('two drainers in separate processes', () => {
  let fx: QueueFixture;
  beforeEach(() => {
    fx = queueFixture();
  });
  afterEach(() => fx.cleanup());

  it('deliver every job exactly once between them, never the same job at once', async () => {
    // The child processes run on the real clock.
    const store = fx.open({ clock: systemClock });
    const ids = new Set<string>();
    for (let i = 0; i < 40; i += 1) {
      const id = crypto.randomUUID();
      ids.add(id);
      store.enqueue({
        id,
        request: {
          kind: 'liveness',
          api: i % 2 === 0 ? 'kairos-liveness-v0.2' : 'biometric-kz-liveness-short',
          selfie: { bytes: randomBytes(512), fileName: `${id}.jpg`, contentType: 'image/jpeg' },
          threshold: 0.6,
        },
        consent: { acceptedAt: '2025-01-06T09:00:00.000Z', textVersion: '2025-01' },
      });
    }
    const sendLog = join(fx.dir, 'sends.log');
    const startAt = String(Date.now() + 2_000);
    const drainers = [0, 1].map(() =>
      startQueueChild(['drain', fx.file, sendLog, startAt], fx.key),
    );
    const codes = await Promise.all(drainers.map(exited));
    expect(codes).toEqual([0, 0]);

    const sends = readFileSync(sendLog, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [file = '', pid = '', start = '', end = ''] = line.split(' ');
        return {
          id: file.replace(/\.jpg$/, ''),
          pid: Number(pid),
          start: Number(start),
          end: Number(end),
        };
      });
    expect(sends).toHaveLength(40);
    expect(new Set(sends.map((s) => s.id))).toEqual(ids);
    expect(store.totals().done).toBe(40);
    // Both processes took part: the claims really did contend.
    expect(new Set(sends.map((s) => s.pid)).size).toBe(2);
  }, 60_000);
});
