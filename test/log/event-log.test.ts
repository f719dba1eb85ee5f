/**
 * The event log for IT: rotated by size with a fixed number of files kept (settings
 * log.maxFileMegabytes / log.keepFiles), and nothing a customer would not want in it: no image
 * data, no secret, no reference text staff typed about a customer, even when a caller passes
 * one by mistake, and after a whole day of real verifications through the services.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualConnectivity } from '../../main/connectivity/connectivity.js';
import {
  startEmulator,
  TRAINING_CREDENTIALS,
  type VendorEmulator,
} from '../../main/emulator/index.js';
import { EventLog } from '../../main/log/event-log.js';
import { MemorySecretStore } from '../../main/secrets/memory-secret-store.js';
import { createServices } from '../../main/services.js';
import { makePreparedJpeg } from '../helpers/images.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string): { event: string; n?: number }[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { event: string; n?: number });

describe('rotation', () => {
  it('keeps at most maxFiles files of about maxBytes each, newest lines in the current file, none lost in between', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kv-log-'));
    const file = join(dir, 'logs', 'kiosk-verify.log');
    const log = new EventLog(file, { maxBytes: 2048, maxFiles: 3 });
    for (let n = 0; n < 400; n += 1) {
      log.record('tick', { n });
      // Let rotations finish now and then, as a running kiosk would.
      if (n % 25 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await log.close();
    const files = log.files();
    expect(files).toEqual([file, `${file}.1`, `${file}.2`]);
    // A file ends at the first line past the size (lines written during a rotation follow).
    for (const path of files) expect(statSync(path).size).toBeLessThan(2 * 2048);
    // Oldest to newest, the kept lines run on without a gap and end with the last one.
    const kept = [...files].reverse().flatMap((path) => lines(path).map((line) => line.n!));
    expect(kept.at(-1)).toBe(399);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 400 - kept.length + i));
    expect(kept.length).toBeLessThan(400); // the oldest file was deleted
  });

  it('rotates a file found too large at start', () => {
    dir = mkdtempSync(join(tmpdir(), 'kv-log-'));
    const file = join(dir, 'kiosk-verify.log');
    writeFileSync(file, 'x'.repeat(5000));
    const log = new EventLog(file, { maxBytes: 4096, maxFiles: 2 });
    expect(statSync(`${file}.1`).size).toBe(5000);
    return log.close();
  });
});

describe('what never reaches the log', () => {
  it('image bytes, data URLs, key-like strings and customer references passed by mistake', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kv-log-'));
    const file = join(dir, 'kiosk-verify.log');
    const log = new EventLog(file);
    const jpeg = (await makePreparedJpeg(64, 64, 3)).bytes;
    const key = 'sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa';
    log.record('oops', {
      image: jpeg,
      photo: `data:image/jpeg;base64,${Buffer.from(jpeg).toString('base64')}`,
      header: `Bearer ${key}`,
      staffRef: 'Aigerim Nurlanovna, passport N0123456',
      nested: { reference: 'Mr Smith', note: 'x'.repeat(2000) },
      ticket: 'K7M2QX',
    });
    await log.close();
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('K7M2QX');
    for (const needle of [key, 'Aigerim', 'Mr Smith', '/9j/', 'x'.repeat(600)]) {
      expect(text).not.toContain(needle);
    }
    expect(readFileSync(file).includes(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
  });

  describe('after real verifications through the services', () => {
    let emulator: VendorEmulator;
    beforeAll(async () => {
      emulator = await startEmulator({ port: 0 });
    });
    afterAll(() => emulator.close());

    it('the log names tickets and codes, never pictures, credentials or what staff typed', async () => {
      dir = mkdtempSync(join(tmpdir(), 'kv-log-'));
      const secrets = new MemorySecretStore({
        'kairos.credentials': JSON.stringify(TRAINING_CREDENTIALS.kairos),
      });
      const connectivity = new ManualConnectivity(false);
      const services = await createServices({
        dataDir: dir,
        secrets,
        connectivity,
        baseUrls: { kairos: emulator.url, 'biometric-kz': emulator.url },
      });
      const selfie = await makePreparedJpeg(800, 600, 41);
      const consent = { acceptedAt: new Date().toISOString(), textVersion: 'v1' };
      const reference = 'Customer Aigerim Nurlanovna, passport N0123456';
      const queued = await services.session.verify({
        request: { kind: 'liveness', api: 'kairos-liveness-v0.2', selfie, threshold: 0.6 },
        consent,
        staffRef: reference,
      });
      expect(queued.status).toBe('queued');
      connectivity.set(true);
      await services.loop.drain();
      const file = services.log.file;
      await services.close();
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('job-changed');
      const base64 = Buffer.from(selfie.bytes).toString('base64');
      for (const needle of [
        'Aigerim',
        'N0123456',
        TRAINING_CREDENTIALS.kairos.appKey,
        base64.slice(0, 40),
        '/9j/',
      ]) {
        expect(text, needle).not.toContain(needle);
      }
      expect(readFileSync(file).includes(Buffer.from(selfie.bytes.subarray(0, 64)))).toBe(false);
    });
  });
});
