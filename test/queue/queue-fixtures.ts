/** Shared set-up for the queue tests: real SQLite files in temporary folders, fake JPEGs. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../main/clock/clock.js';
import { JobStore, type JobStoreOptions } from '../../main/queue/store/job-store.js';
import type { NewJob } from '../../main/queue/job.js';
import type { PreparedImage } from '../../model/request.js';
import type { VerificationResult } from '../../model/result-model.js';

/** Bytes that start like a real JFIF JPEG (FF D8 FF E0 .. 'JFIF'), then random filler. */
export function fakeJpeg(size = 4_096): Buffer {
  const header = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
  return Buffer.concat([header, randomBytes(size - header.length - 2), Buffer.from([0xff, 0xd9])]);
}

export function preparedJpeg(name = 'selfie.jpg', bytes = fakeJpeg()): PreparedImage {
  return { bytes, fileName: name, contentType: 'image/jpeg' };
}

export const CONSENT = { acceptedAt: '2025-01-06T09:00:00.000Z', textVersion: '2025-01' };

export function livenessJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    request: {
      kind: 'liveness',
      api: 'kairos-liveness-v0.2',
      selfie: preparedJpeg(),
      threshold: 0.6,
    },
    consent: CONSENT,
    staffRef: 'teller-7',
    ...overrides,
  };
}

export function biometricKzJob(): NewJob {
  return {
    request: {
      kind: 'liveness',
      api: 'biometric-kz-liveness-short',
      selfie: preparedJpeg(),
      threshold: 0.5,
    },
    consent: CONSENT,
    staffRef: null,
  };
}

export function matchJob(): NewJob {
  return {
    request: {
      kind: 'match',
      api: 'kairos-biometric-v0.1',
      selfie: preparedJpeg(),
      image: preparedJpeg('id-photo.jpg'),
      multiface: false,
      threshold: 0.6,
    },
    consent: CONSENT,
  };
}

export function livenessResult(
  api: VerificationResult['api'] = 'kairos-liveness-v0.2',
): VerificationResult {
  return {
    kind: 'liveness',
    vendor: api.startsWith('kairos') ? 'kairos' : 'biometric-kz',
    api,
    requestId: 'req-1',
    receivedAt: '2025-01-06T09:00:05.000Z',
    liveness: { score: 0.93, threshold: 0.6, live: true },
    faces: [],
    imageSize: null,
    match: null,
    failureReason: null,
    vendorResponseCode: 0,
    raw: { ok: true },
  };
}

export interface QueueFixture {
  dir: string;
  file: string;
  key: Buffer;
  clock: ManualClock;
  open(options?: Partial<JobStoreOptions>): JobStore;
  /** The bytes of the database file and its WAL, as an attacker copying them would see. */
  filesOnDisk(): Buffer;
  cleanup(): void;
}

export function queueFixture(): QueueFixture {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-queue-'));
  const file = join(dir, 'queue.sqlite');
  const key = randomBytes(32);
  const clock = new ManualClock();
  const opened: JobStore[] = [];
  return {
    dir,
    file,
    key,
    clock,
    open: (options = {}) => {
      const store = JobStore.open({ file, dataKey: key, clock, ...options });
      opened.push(store);
      return store;
    },
    filesOnDisk: () =>
      Buffer.concat(
        [file, `${file}-wal`, `${file}-shm`]
          .filter((path) => existsSync(path))
          .map((path) => readFileSync(path)),
      ),
    cleanup: () => {
      for (const store of opened) store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
