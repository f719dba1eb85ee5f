import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualConnectivity } from '../../main/connectivity/connectivity.js';
import { DeliveryLoop } from '../../main/queue/delivery/delivery-loop.js';
import { getOrCreateQueueDataKey } from '../../main/secrets/queue-data-key.js';
import { writeVendorCredentials } from '../../main/secrets/vendor-credentials.js';
import { isolatedKeychainStore, requireRealKeychain } from '../helpers/keychain.js';
import { FakeSender } from './fake-sender.js';
import { livenessJob, matchJob, queueFixture, type QueueFixture } from './queue-fixtures.js';

const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const APP_ID = 'kairos-app-id-7c41d2';
const APP_KEY = 'kairos-app-key-93be0f5a';

describe('the queue at rest', () => {
  beforeAll(requireRealKeychain);
  const keychain = isolatedKeychainStore();
  afterAll(keychain.cleanup);

  let fx: QueueFixture;
  beforeEach(() => {
    fx = queueFixture();
  });
  afterEach(() => fx.cleanup());

  it('holds no image bytes and no credential in the database or its WAL', async () => {
    await writeVendorCredentials(keychain.store, {
      vendor: 'kairos',
      appId: APP_ID,
      appKey: APP_KEY,
    });
    const dataKey = await getOrCreateQueueDataKey(keychain.store);
    const store = fx.open({ dataKey });
    const queued = [livenessJob(), matchJob(), livenessJob()];
    for (const job of queued) store.enqueue(job);
    const sender = new FakeSender();
    const loop = new DeliveryLoop({
      store,
      sender,
      secrets: keychain.store,
      connectivity: new ManualConnectivity(true),
      clock: fx.clock,
    });
    await loop.deliverDue();
    expect(sender.sent.map((s) => s.credentials)).toContainEqual({
      vendor: 'kairos',
      appId: APP_ID,
      appKey: APP_KEY,
    });
    // One more job left waiting, so the file also holds images not yet sent.
    const waiting = livenessJob();
    store.enqueue(waiting);

    const onDisk = fx.filesOnDisk();
    expect(onDisk.indexOf(JPEG_SIGNATURE)).toBe(-1);
    const selfie = Buffer.from(waiting.request.selfie.bytes);
    expect(onDisk.indexOf(selfie.subarray(16, 80))).toBe(-1);
    expect(onDisk.indexOf(Buffer.from(APP_ID))).toBe(-1);
    expect(onDisk.indexOf(Buffer.from(APP_KEY))).toBe(-1);
    expect(onDisk.indexOf(dataKey)).toBe(-1);
    expect(onDisk.indexOf(Buffer.from(dataKey.toString('base64')))).toBe(-1);
  });

  it('fails only the job whose image was tampered with, and delivers the rest', async () => {
    await writeVendorCredentials(keychain.store, {
      vendor: 'kairos',
      appId: APP_ID,
      appKey: APP_KEY,
    });
    const store = fx.open({ dataKey: await getOrCreateQueueDataKey(keychain.store) });
    const tampered = store.enqueue(livenessJob());
    const intact = store.enqueue(livenessJob());
    const db = new BetterSqlite3(fx.file);
    const { ciphertext } = db
      .prepare(`SELECT ciphertext FROM job_images WHERE job_id = ?`)
      .get(tampered.id) as {
      ciphertext: Buffer;
    };
    ciphertext[100] = (ciphertext[100] ?? 0) ^ 0x01;
    db.prepare(`UPDATE job_images SET ciphertext = ? WHERE job_id = ?`).run(
      ciphertext,
      tampered.id,
    );
    db.close();

    const sender = new FakeSender();
    const loop = new DeliveryLoop({
      store,
      sender,
      secrets: keychain.store,
      connectivity: new ManualConnectivity(true),
      clock: fx.clock,
    });
    await loop.deliverDue();

    expect(store.get(tampered.id)).toMatchObject({
      state: 'failed',
      hasImages: false,
      lastError: { code: 'unreadable-images', message: expect.stringMatching(/integrity check/) },
    });
    expect(store.get(intact.id)?.state).toBe('done');
    expect(sender.sent).toHaveLength(1);
  });

  it('will not decrypt one job’s image moved into another job', () => {
    const store = fx.open();
    const donor = store.enqueue(livenessJob());
    const target = store.enqueue(livenessJob());
    const db = new BetterSqlite3(fx.file);
    db.prepare(`DELETE FROM job_images WHERE job_id = ?`).run(target.id);
    db.prepare(`UPDATE job_images SET job_id = ? WHERE job_id = ?`).run(target.id, donor.id);
    db.close();
    expect(() => store.loadRequest(store.get(target.id)!)).toThrow(/integrity check/);
  });

  it('says the key changed, rather than "tampered", when the data key was replaced', () => {
    const store = fx.open();
    const job = store.enqueue(livenessJob());
    store.close();
    const withNewKey = fx.open({ dataKey: Buffer.alloc(32, 7) });
    expect(() => withNewKey.loadRequest(withNewKey.get(job.id)!)).toThrow(/different data key/);
  });
});
