/**
 * `queue drain` from a support shell: the vendor's credentials only in the environment
 * (KAIROS_APP_ID / KAIROS_APP_KEY), none in the keychain, which holds only the queue's data key.
 * The built CLI in a child process, the real keychain (private gnome-keyring), a real queue
 * file, the emulator over HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDatabasePath } from '../../main/queue/store/data-dir.js';
import { JobStore } from '../../main/queue/store/job-store.js';
import { getOrCreateQueueDataKey } from '../../main/secrets/queue-data-key.js';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process.js';
import { CLEAR_FACES, faceFile } from '../helpers/faces.js';
import { isolatedKeychainStore, requireRealKeychain } from '../helpers/keychain.js';
import { envWithoutVendorCredentials, runCli, type CliRun } from '../helpers/run-cli.js';

const keychain = isolatedKeychainStore();

let emulator: EmulatorProcess;
let dataDir: string;

/** Runs the CLI with exactly these vendor variables (none inherited from the test's shell). */
function cli(args: string[], vendorEnv: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, {
    env: {
      ...envWithoutVendorCredentials(),
      ...vendorEnv,
      KIOSK_VERIFY_KEYCHAIN_SERVICE: keychain.service,
    },
  });
}

/** Queues one Kairos liveness check, sealed with a data key in the isolated keychain. */
async function queueJob(): Promise<string> {
  const store = JobStore.open({
    file: queueDatabasePath(dataDir),
    dataKey: await getOrCreateQueueDataKey(keychain.store),
  });
  try {
    const selfie = {
      bytes: await faceFile(CLEAR_FACES[0]!, { width: 640, height: 480 }),
      fileName: 'selfie.jpg',
      contentType: 'image/jpeg',
    } as const;
    return store.enqueue({
      request: { kind: 'liveness', api: 'kairos-liveness-v0.2', selfie, threshold: 0.6 },
      consent: { acceptedAt: new Date().toISOString(), textVersion: 'test-1' },
      staffRef: 'JD',
    }).ticket;
  } finally {
    store.close();
  }
}

function stateOf(ticket: string): string | undefined {
  const store = JobStore.open({ file: queueDatabasePath(dataDir), dataKey: null });
  try {
    return store.getByTicket(ticket)?.state;
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  await requireRealKeychain();
  dataDir = mkdtempSync(join(tmpdir(), 'kv-drain-env-'));
  emulator = await startEmulatorProcess();
});

afterAll(async () => {
  emulator?.stop();
  await keychain.cleanup();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('kiosk-verify queue drain with the credentials in the environment', () => {
  it('waits when neither the keychain nor the environment has them, and delivers with the environment alone', async () => {
    const ticket = await queueJob();
    expect(await keychain.store.has('kairos.credentials')).toBe(false);
    const drain = ['queue', 'drain', '--data-dir', dataDir, '--base-url', emulator.url];

    const without = await cli(drain);
    expect(without.code).toBe(6);
    expect(without.stdout).toContain('kiosk-verify secrets set kairos');
    expect(stateOf(ticket)).toBe('queued');

    const withEnv = await cli(drain, {
      KAIROS_APP_ID: emulator.env.KAIROS_APP_ID!,
      KAIROS_APP_KEY: emulator.env.KAIROS_APP_KEY!,
    });
    expect(withEnv.stderr).toBe('');
    expect(withEnv.code).toBe(0);
    const lines = withEnv.stdout.trim().split('\n');
    const summary = JSON.parse(lines.slice(lines.findIndex((line) => line === '{')).join('\n'));
    expect(summary.totals).toMatchObject({ done: 1, queued: 0, 'retry-wait': 0 });
    expect(summary.ended).toEqual({ done: 1, failed: 0, expired: 0 });
    expect(stateOf(ticket)).toBe('done');
    // The environment's credentials were used, not written: the keychain still has none.
    expect(await keychain.store.has('kairos.credentials')).toBe(false);
    for (const output of [withEnv.stdout, withEnv.stderr]) {
      expect(output).not.toContain(emulator.env.KAIROS_APP_KEY);
    }
  });

  it('refuses half a pair before touching the queue, naming the missing variable', async () => {
    const ticket = await queueJob();
    const half = await cli(['queue', 'drain', '--data-dir', dataDir, '--base-url', emulator.url], {
      KAIROS_APP_ID: emulator.env.KAIROS_APP_ID!,
    });
    expect(half.code).toBe(2);
    expect(JSON.parse(half.stderr).error.message).toContain('KAIROS_APP_KEY');
    expect(stateOf(ticket)).toBe('queued');
  });
});
