/**
 * The queue and keychain commands as support runs them: the built CLI in a child process,
 * the real keychain (private gnome-keyring), a real queue file, the emulator over HTTP.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDatabasePath } from '../../main/queue/store/data-dir.js';
import { JobStore } from '../../main/queue/store/job-store.js';
import { KeytarSecretStore } from '../../main/secrets/keytar-secret-store.js';
import { getOrCreateQueueDataKey } from '../../main/secrets/queue-data-key.js';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process.js';
import { CLEAR_FACES, faceFile } from '../helpers/faces.js';
import { makePreparedJpeg } from '../helpers/images.js';
import { requireRealKeychain } from '../helpers/keychain.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/kiosk-verify.js');
const service = `kiosk-verify-cli-test-${randomUUID()}`;

let emulator: EmulatorProcess;
let url: string;
let training: Record<string, string>;
let dataDir: string;
/** Every plaintext image this file queued, to look for in the queue's files afterwards. */
const queuedImages: Buffer[] = [];

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with no vendor credentials in its environment: the keychain is the source. */
function cli(args: string[], stdin = ''): Promise<CliRun> {
  const { KAIROS_APP_ID: _a, KAIROS_APP_KEY: _b, BIOMETRIC_KZ_API_KEY: _c, ...env } = process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...env, KIOSK_VERIFY_KEYCHAIN_SERVICE: service },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(stdin);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function queueJobs(count: number): Promise<string[]> {
  const keychain = new KeytarSecretStore({ service });
  const store = JobStore.open({
    file: queueDatabasePath(dataDir),
    dataKey: await getOrCreateQueueDataKey(keychain),
  });
  try {
    const tickets: string[] = [];
    for (let i = 0; i < count; i += 1) {
      // Real faces: the emulator started by the CLI reports the faces it finds.
      const selfie = {
        bytes: await faceFile(CLEAR_FACES[i % CLEAR_FACES.length]!, { width: 640, height: 480 }),
        fileName: 'selfie.jpg',
        contentType: 'image/jpeg',
      } as const;
      queuedImages.push(Buffer.from(selfie.bytes));
      const job = store.enqueue({
        request: { kind: 'liveness', api: 'kairos-liveness-v0.2', selfie, threshold: 0.6 },
        consent: { acceptedAt: new Date().toISOString(), textVersion: 'test-1' },
        staffRef: 'JD',
      });
      tickets.push(job.ticket);
    }
    return tickets;
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  await requireRealKeychain();
  dataDir = mkdtempSync(join(tmpdir(), 'kv-queue-cli-'));
  emulator = await startEmulatorProcess();
  ({ url, env: training } = emulator);
});

afterAll(async () => {
  emulator.stop();
  await new KeytarSecretStore({ service }).delete('queue.dataKey');
});

describe('kiosk-verify secrets', () => {
  it('stores credentials read from standard input and reports only whether they are set', async () => {
    const before = await cli(['secrets', 'status']);
    expect(JSON.parse(before.stdout).vendors).toEqual({
      kairos: 'not-set',
      'biometric-kz': 'not-set',
    });

    const set = await cli(
      ['secrets', 'set', 'kairos'],
      `${training.KAIROS_APP_ID}\n${training.KAIROS_APP_KEY}\n`,
    );
    expect(set.code).toBe(0);
    const after = await cli(['secrets', 'status']);
    expect(JSON.parse(after.stdout).vendors).toEqual({ kairos: 'set', 'biometric-kz': 'not-set' });
    for (const output of [set.stdout, set.stderr, after.stdout, after.stderr]) {
      expect(output).not.toContain(training.KAIROS_APP_KEY);
    }
  });

  it('refuses a value on the command line and an empty value', async () => {
    const onCommandLine = await cli(['secrets', 'set', 'biometric-kz', 'the-key']);
    expect(onCommandLine.code).toBe(2);
    const empty = await cli(['secrets', 'set', 'biometric-kz'], '\n');
    expect(empty.code).toBe(3);
  });

  it('sends a liveness check with the keychain credentials', async () => {
    const selfie = join(dataDir, 'selfie.jpg');
    writeFileSync(selfie, await faceFile(CLEAR_FACES[1]!, { width: 800, height: 600 }));
    const result = await cli([
      'liveness',
      '--vendor',
      'kairos-v0.1',
      '--selfie',
      selfie,
      '--base-url',
      url,
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).vendor).toBe('kairos');
  });

  it('says what is missing when a vendor has no credentials in the keychain', async () => {
    const result = await cli([
      'liveness',
      '--vendor',
      'biometric-kz',
      '--selfie',
      join(dataDir, 'selfie.jpg'),
      '--base-url',
      url,
    ]);
    expect(result.code).toBe(5);
    expect(JSON.parse(result.stderr).error.message).toContain(
      'kiosk-verify secrets set biometric-kz',
    );
  });
});

describe('kiosk-verify queue', () => {
  it('lists, shows, drains with JSON progress lines, and refuses to retry a finished job', async () => {
    const tickets = await queueJobs(3);
    const list = await cli(['queue', 'list', '--json', '--data-dir', dataDir]);
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout) as { ticket: string; state: string }[];
    expect(listed.map((job) => job.ticket).sort()).toEqual([...tickets].sort());
    expect(listed.every((job) => job.state === 'queued')).toBe(true);

    const drain = await cli(['queue', 'drain', '--data-dir', dataDir, '--base-url', url]);
    expect(drain.code).toBe(0);
    const lines = drain.stdout.trim().split('\n');
    const progress = lines
      .filter((line) => line.startsWith('{"event":"drain-progress"'))
      .map((line) => JSON.parse(line));
    expect(progress.at(-1)).toMatchObject({ finished: 3, total: 3 });
    const summary = JSON.parse(lines.slice(lines.findIndex((line) => line === '{')).join('\n'));
    expect(summary.totals).toMatchObject({ done: 3, queued: 0, 'retry-wait': 0 });

    const show = await cli(['queue', 'show', tickets[0]!, '--data-dir', dataDir]);
    const job = JSON.parse(show.stdout);
    expect(job).toMatchObject({ ticket: tickets[0], state: 'done', hasImages: false });
    expect(job.result.liveness.live).toBe(true);

    const retry = await cli(['queue', 'retry', tickets[0]!, '--data-dir', dataDir]);
    expect(retry.code).toBe(4);
    expect(JSON.parse(retry.stderr).error.code).toBe('invalid-state');
  });

  it('discards a waiting job, deleting its images, and finds jobs by ticket in any case', async () => {
    const [ticket] = await queueJobs(1);
    const discarded = await cli(['queue', 'discard', ticket!.toLowerCase(), '--data-dir', dataDir]);
    expect(discarded.code).toBe(0);
    expect(JSON.parse(discarded.stdout)).toMatchObject({
      state: 'failed',
      lastError: { code: 'discarded' },
    });
    const missing = await cli(['queue', 'show', 'NOPE99', '--data-dir', dataDir]);
    expect(missing.code).toBe(4);
  });

  it('keeps no JPEG and no credential in the queue files', async () => {
    await queueJobs(2);
    for (const file of readdirSync(dataDir).filter((name) => name.startsWith('queue.sqlite'))) {
      const bytes = readFileSync(join(dataDir, file));
      // A JPEG's opening bytes (SOI + the first marker) or any stretch of a queued image would
      // mean plaintext on disk; three random bytes alone would match ciphertext by chance.
      expect(bytes.includes(Buffer.from([0xff, 0xd8, 0xff, 0xdb])), file).toBe(false);
      for (const image of queuedImages) {
        expect(bytes.includes(image.subarray(0, 32)), file).toBe(false);
        expect(
          bytes.includes(image.subarray(image.length >> 1, (image.length >> 1) + 32)),
          file,
        ).toBe(false);
      }
      expect(bytes.includes(Buffer.from(training.KAIROS_APP_KEY!)), file).toBe(false);
    }
  });
});

describe('kiosk-verify enqueue', () => {
  it('prepares photos through the capture pipeline and queues them with a ticket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-enqueue-'));
    const selfie = join(dir, 'selfie.jpg');
    writeFileSync(selfie, await faceFile(CLEAR_FACES[2]!, { width: 1280, height: 960 }));
    const queued = await cli([
      'enqueue',
      'liveness',
      '--vendor',
      'kairos-v0.2',
      '--selfie',
      selfie,
      '--consent-version',
      'branch-2026-01',
      '--staff-ref',
      'JD',
      '--data-dir',
      dir,
    ]);
    expect(queued.code).toBe(0);
    const job = JSON.parse(queued.stdout);
    expect(job).toMatchObject({ state: 'queued', api: 'kairos-liveness-v0.2' });
    expect(job.ticket).toMatch(/^[2-9A-Z]{6}$/);

    const drained = await cli(['queue', 'drain', '--data-dir', dir, '--base-url', url]);
    expect(drained.code).toBe(0);
    const shown = JSON.parse((await cli(['queue', 'show', job.ticket, '--data-dir', dir])).stdout);
    expect(shown).toMatchObject({
      state: 'done',
      staffRef: 'JD',
      consent: { textVersion: 'branch-2026-01' },
    });
  });

  it('queues nothing for a photo without a face, or without the consent version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-enqueue-'));
    const noFace = join(dir, 'wall.jpg');
    writeFileSync(noFace, (await makePreparedJpeg(1280, 960, 9)).bytes);
    const refused = await cli([
      'enqueue',
      'liveness',
      '--vendor',
      'kairos-v0.1',
      '--selfie',
      noFace,
      '--consent-version',
      'v1',
      '--data-dir',
      dir,
    ]);
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stderr).error).toMatchObject({ code: 'no-face' });

    const noConsent = await cli([
      'enqueue',
      'liveness',
      '--vendor',
      'kairos-v0.1',
      '--selfie',
      noFace,
      '--data-dir',
      dir,
    ]);
    expect(noConsent.code).toBe(2);
    expect(JSON.parse(noConsent.stderr).error.message).toContain('--consent-version');

    // Not even an empty queue was created: listing that folder says there is no queue in it.
    const list = await cli(['queue', 'list', '--json', '--data-dir', dir]);
    expect(list.code).toBe(20);
    expect(JSON.parse(list.stderr).error).toMatchObject({ code: 'no-queue' });
  });
});
