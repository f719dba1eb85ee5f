/**
 * The queue's fault paths as branch IT meets them, through the built CLI: the data key gone or
 * another account's, a locked keyring, a folder that cannot be written, a damaged file, a
 * mistyped --data-dir, jobs that end failed. Real keychain, real queue files, the emulator.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDatabasePath } from '../../main/queue/store/data-dir.js';
import { JobStore } from '../../main/queue/store/job-store.js';
import { KeytarSecretStore } from '../../main/secrets/keytar-secret-store.js';
import { getOrCreateQueueDataKey } from '../../main/secrets/queue-data-key.js';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process.js';
import { CLEAR_FACES, faceFile } from '../helpers/faces.js';
import { requireRealKeychain, writeTrainingCredentials } from '../helpers/keychain.js';
import { envWithoutVendorCredentials, runCli, type CliRun } from '../helpers/run-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/kiosk-verify.js');

let emulator: EmulatorProcess;
const services: KeytarSecretStore[] = [];

function cli(
  args: string[],
  options: { service: string; command?: string[]; env?: NodeJS.ProcessEnv },
): Promise<CliRun> {
  return runCli(args, {
    ...(options.command ? { command: options.command } : {}),
    env: {
      ...envWithoutVendorCredentials(),
      ...options.env,
      KIOSK_VERIFY_KEYCHAIN_SERVICE: options.service,
    },
  });
}

function errorOf(run: CliRun): { code: string; message: string } {
  return JSON.parse(run.stderr.slice(run.stderr.indexOf('{'))).error;
}

/** A keychain service of its own (one kiosk's account), with the training credentials. */
async function kioskKeychain(): Promise<{ service: string; keychain: KeytarSecretStore }> {
  const service = `kiosk-verify-faults-${randomUUID()}`;
  const keychain = new KeytarSecretStore({ service });
  services.push(keychain);
  await writeTrainingCredentials(keychain);
  return { service, keychain };
}

/** Queues `count` real-face liveness checks in a new data folder, sealed with the keychain's key. */
async function queueJobs(keychain: KeytarSecretStore, count: number): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kv-faults-'));
  const store = JobStore.open({
    file: queueDatabasePath(dataDir),
    dataKey: await getOrCreateQueueDataKey(keychain),
  });
  try {
    for (let i = 0; i < count; i += 1) {
      const bytes = await faceFile(CLEAR_FACES[i % CLEAR_FACES.length]!, {
        width: 640,
        height: 480,
      });
      store.enqueue({
        request: {
          kind: 'liveness',
          api: 'kairos-liveness-v0.2',
          selfie: { bytes, fileName: 'selfie.jpg', contentType: 'image/jpeg' },
          threshold: 0.6,
        },
        consent: { acceptedAt: new Date().toISOString(), textVersion: 'test-1' },
      });
    }
  } finally {
    store.close();
  }
  return dataDir;
}

/** The sealed images as stored, to prove a refusal changed none of them. */
function sealedImages(dataDir: string): Buffer[] {
  const db = new BetterSqlite3(queueDatabasePath(dataDir), { readonly: true });
  try {
    const rows = db.prepare('SELECT ciphertext FROM job_images ORDER BY job_id').all();
    return (rows as { ciphertext: Buffer }[]).map((row) => row.ciphertext);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  await requireRealKeychain();
  emulator = await startEmulatorProcess();
});

afterAll(async () => {
  emulator.stop();
  for (const keychain of services) {
    for (const key of ['queue.dataKey', 'kairos.credentials', 'biometric-kz.apiKey'] as const) {
      await keychain.delete(key);
    }
  }
});

describe('the queue data key', () => {
  it('is never replaced while jobs need it: drain refuses, nothing changes, and the restored key delivers every job', async () => {
    const { service, keychain } = await kioskKeychain();
    const dataDir = await queueJobs(keychain, 3);
    const key = await keychain.get('queue.dataKey');
    const before = sealedImages(dataDir);
    await keychain.delete('queue.dataKey');

    const refused = await cli(
      ['queue', 'drain', '--data-dir', dataDir, '--base-url', emulator.url],
      {
        service,
      },
    );
    expect(refused.code).toBe(9);
    expect(errorOf(refused)).toMatchObject({ code: 'data-key-unavailable' });
    expect(errorOf(refused).message).toContain('3 queued verification(s)');
    expect(errorOf(refused).message).toContain('queue.dataKey');
    // No new key was made, and every job and its ciphertext is as it was.
    expect(await keychain.get('queue.dataKey')).toBeNull();
    expect(sealedImages(dataDir)).toEqual(before);

    // list and show decrypt nothing: they work without the key.
    const list = await cli(['queue', 'list', '--json', '--data-dir', dataDir], { service });
    expect(list.code).toBe(0);
    const jobs = JSON.parse(list.stdout) as { ticket: string; state: string }[];
    expect(jobs.map((job) => job.state)).toEqual(['queued', 'queued', 'queued']);
    const show = await cli(['queue', 'show', jobs[0]!.ticket, '--data-dir', dataDir], { service });
    expect(show.code).toBe(0);

    await keychain.set('queue.dataKey', key!);
    const drained = await cli(
      ['queue', 'drain', '--data-dir', dataDir, '--base-url', emulator.url],
      { service },
    );
    expect(drained.code).toBe(0);
    const after = await cli(['queue', 'list', '--json', '--data-dir', dataDir], { service });
    expect((JSON.parse(after.stdout) as { state: string }[]).map((job) => job.state)).toEqual([
      'done',
      'done',
      'done',
    ]);
  });

  it("is not taken from another account's keychain: a different key fails nothing", async () => {
    const { keychain } = await kioskKeychain();
    const dataDir = await queueJobs(keychain, 2);
    const before = sealedImages(dataDir);
    // Another OS account: its own keychain, with a data key of its own.
    const other = await kioskKeychain();
    const otherKey = (await getOrCreateQueueDataKey(other.keychain)).toString('base64');

    const refused = await cli(
      ['queue', 'drain', '--data-dir', dataDir, '--base-url', emulator.url],
      {
        service: other.service,
      },
    );
    expect(refused.code).toBe(9);
    expect(errorOf(refused).message).toContain('holds a different key');
    expect(await other.keychain.get('queue.dataKey')).toBe(otherKey);
    expect(sealedImages(dataDir)).toEqual(before);
    const list = await cli(['queue', 'list', '--json', '--data-dir', dataDir], {
      service: other.service,
    });
    expect((JSON.parse(list.stdout) as { state: string }[]).map((job) => job.state)).toEqual([
      'queued',
      'queued',
    ]);
  });
});

describe('a locked keyring', () => {
  // Linux only by nature: it locks gnome-keyring's login collection over D-Bus (gdbus) inside a
  // private session from scripts/with-keychain.sh. The macOS and Windows keychains belong to the
  // runner's account; locking them from a test would lock the developer out of their own.
  it.runIf(process.platform === 'linux')(
    'is reported as locked, never as "not set", and no key is written',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'kv-locked-'));
      // A keyring of its own (a nested private session), locked before the CLI runs.
      const script = [
        'gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets',
        '--method org.freedesktop.Secret.Service.Lock "[objectpath \'/org/freedesktop/secrets/collection/login\']" >/dev/null',
        `&& "${process.execPath}" "${bin}" secrets status;`,
        'echo "EXIT=$?";',
        `"${process.execPath}" "${bin}" enqueue liveness --vendor kairos-v0.2 --selfie "${join(dataDir, 'face.jpg')}" --consent-version v1 --data-dir "${dataDir}";`,
        'echo "EXIT=$?"',
      ].join(' ');
      writeFileSync(
        join(dataDir, 'face.jpg'),
        await faceFile(CLEAR_FACES[0]!, { width: 640, height: 480 }),
      );
      const run = await new Promise<CliRun>((resolve) => {
        const child = spawn('bash', [join(root, 'scripts/with-keychain.sh'), 'bash', '-c', script]);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      });
      expect(run.stdout.match(/EXIT=\d+/g)).toEqual(['EXIT=5', 'EXIT=5']);
      expect(run.stdout).not.toContain('not-set');
      const errors = run.stderr.match(/"code": "keychain-locked"/g) ?? [];
      expect(errors).toHaveLength(2);
      expect(run.stderr).toContain('The keychain is locked');
    },
  );
});

describe('storage a person can act on', () => {
  // Not on Windows: it makes the folder read-only with POSIX permission bits, which Windows
  // does not have (chmod there only sets a file's read-only attribute, and ignores folders).
  it.skipIf(process.platform === 'win32')(
    'names a folder that cannot be written, with its own exit code',
    async () => {
      const { service, keychain } = await kioskKeychain();
      const dataDir = await queueJobs(keychain, 1);
      const list = JSON.parse(
        (await cli(['queue', 'list', '--json', '--data-dir', dataDir], { service })).stdout,
      ) as { ticket: string }[];
      const asAnotherUser = process.getuid?.() === 0;
      if (asAnotherUser) {
        // root writes anywhere: run the CLI as an unprivileged user the folder is not open to.
        chownSync(dataDir, 0, 0);
        chmodSync(dataDir, 0o755);
        chmodSync(queueDatabasePath(dataDir), 0o644);
      } else {
        chmodSync(queueDatabasePath(dataDir), 0o444);
        chmodSync(dataDir, 0o555);
      }
      const run = await cli(['queue', 'discard', list[0]!.ticket, '--data-dir', dataDir], {
        service,
        ...(asAnotherUser
          ? {
              command: [
                'setpriv',
                '--reuid=65534',
                '--regid=65534',
                '--clear-groups',
                process.execPath,
              ],
            }
          : {}),
      });
      chmodSync(dataDir, 0o700);
      expect(run.code).toBe(8);
      expect(errorOf(run)).toMatchObject({ code: 'storage' });
      expect(errorOf(run).message).toContain(dataDir);
      expect(errorOf(run).message).toMatch(/write access/);
    },
  );

  it('moves a damaged file aside, keeps queueing, and recovers what can be read', async () => {
    const { service, keychain } = await kioskKeychain();
    const dataDir = await queueJobs(keychain, 2);
    const file = queueDatabasePath(dataDir);
    // The header of the file written over: not a database any more.
    const db = new BetterSqlite3(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const damaged = await import('node:fs').then((fs) => fs.readFileSync(file));
    damaged.fill(0x41, 0, 100);
    writeFileSync(file, damaged);

    const list = await cli(['queue', 'list', '--json', '--data-dir', dataDir], { service });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    const movedTo = /moved aside to (\S+) /.exec(list.stderr)?.[1];
    expect(movedTo).toMatch(/queue\.sqlite\.damaged-/);

    const recover = await cli(['queue', 'recover', movedTo!, '--data-dir', dataDir], { service });
    // The header is gone: nothing can be read, and it says so without losing the file.
    expect(recover.code).toBe(4);
    expect(errorOf(recover).message).toContain(movedTo!);
  });
});

describe('--data-dir', () => {
  it('refuses an empty value and a folder with no queue', async () => {
    const { service } = await kioskKeychain();
    const empty = await cli(['queue', 'list', '--data-dir', ''], { service });
    expect(empty.code).toBe(2);
    const missing = join(tmpdir(), `kv-typo-${randomUUID()}`);
    for (const args of [
      ['queue', 'list'],
      ['queue', 'drain'],
      ['queue', 'purge'],
      ['queue', 'show', 'ABC123'],
    ]) {
      const run = await cli([...args, '--data-dir', missing], { service });
      expect(run.code, args.join(' ')).toBe(20);
      expect(errorOf(run)).toMatchObject({ code: 'no-queue' });
      expect(errorOf(run).message).toContain(missing);
    }
  });
});

describe('queue drain', () => {
  it('exits 7 when a job ended failed during the drain', async () => {
    const { service, keychain } = await kioskKeychain();
    const dataDir = await queueJobs(keychain, 2);
    // One job's image tampered with on disk: it fails alone; the other is delivered.
    const db = new BetterSqlite3(queueDatabasePath(dataDir));
    db.prepare(
      'UPDATE job_images SET ciphertext = zeroblob(length(ciphertext)) WHERE rowid = (SELECT MIN(rowid) FROM job_images)',
    ).run();
    db.close();
    const run = await cli(['queue', 'drain', '--data-dir', dataDir, '--base-url', emulator.url], {
      service,
    });
    expect(run.code).toBe(7);
    const lines = run.stdout.trim().split('\n');
    const summary = JSON.parse(lines.slice(lines.findIndex((line) => line === '{')).join('\n'));
    expect(summary.ended).toEqual({ done: 1, failed: 1, expired: 0 });
  });
});

describe('Ctrl+C during a drain', () => {
  it('stops at the first Ctrl+C, and the job being sent goes back to the queue', async () => {
    const { service, keychain } = await kioskKeychain();
    const dataDir = await queueJobs(keychain, 1);
    const faults = (settings: object): Promise<Response> =>
      fetch(`${emulator.url}/__emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-emulator-token': emulator.controlToken },
        body: JSON.stringify({ api: 'kairos-liveness-v0.2', faults: settings }),
      });
    // The vendor reads the upload and never answers: the send hangs until someone gives up.
    expect((await faults({ neverAnswer: true })).status).toBe(200);
    try {
      const { KAIROS_APP_ID: _a, KAIROS_APP_KEY: _b, ...env } = process.env;
      const child = spawn(
        process.execPath,
        [bin, 'queue', 'drain', '--data-dir', dataDir, '--base-url', emulator.url],
        { env: { ...env, KIOSK_VERIFY_KEYCHAIN_SERVICE: service } },
      );
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      await expect.poll(() => stdout.includes('"state":"sending"'), { timeout: 20_000 }).toBe(true);
      child.kill('SIGINT');
      // One Ctrl+C is enough: the drain ends and says jobs are still waiting.
      const code = await Promise.race([
        exited,
        new Promise<'still running'>((resolve) =>
          setTimeout(() => resolve('still running'), 15_000),
        ),
      ]);
      if (code === 'still running') child.kill('SIGKILL');
      expect(code).toBe(6);
      const list = await cli(['queue', 'list', '--json', '--data-dir', dataDir], { service });
      expect((JSON.parse(list.stdout) as { state: string }[]).map((job) => job.state)).toEqual([
        'queued',
      ]);
    } finally {
      await faults({});
    }
  });
});
