/**
 * "Save diagnostics" (the console's command) and `kiosk-verify diagnostics --out FILE`: the
 * archive opens with tar, holds the versions, settings, keychain status, queue states, audit
 * status and the logs, and nowhere in it is a credential, the staff PIN, a customer reference
 * or a picture (JPEG bytes or base64).
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x as extract } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualConnectivity } from '../../main/connectivity/connectivity.js';
import { startEmulator, type VendorEmulator } from '../../main/emulator/index.js';
import { dispatchCommand } from '../../main/ipc/dispatch.js';
import { writeVendorCredentials } from '../../main/secrets/vendor-credentials.js';
import { createServices } from '../../main/services.js';
import { makePreparedJpeg } from '../helpers/images.js';
import { isolatedKeychainStore, requireRealKeychain } from '../helpers/keychain.js';
import { runCli } from '../helpers/run-cli.js';

const SECRETS = { appId: 'diag-probe-app-id-51c2', appKey: 'diag-probe-app-key-7e9a40b1' };
const PIN = '583920';
const REFERENCE = 'Customer Dana Serikovna, ID 987654321';

let emulator: VendorEmulator;
let keychain: ReturnType<typeof isolatedKeychainStore>;
let dataDir: string;
let selfieBase64: string;
let selfieHead: Buffer;
beforeAll(async () => {
  await requireRealKeychain();
  emulator = await startEmulator({ port: 0, credentials: { kairos: SECRETS } });
  keychain = isolatedKeychainStore();
  dataDir = mkdtempSync(join(tmpdir(), 'kv-diag-'));
  await writeVendorCredentials(keychain.store, { vendor: 'kairos', ...SECRETS });
  // A day's work: one verification sent, one queued offline with a staff reference, delivered.
  const connectivity = new ManualConnectivity(true);
  const services = await createServices({
    dataDir,
    secrets: keychain.store,
    connectivity,
    baseUrls: { kairos: emulator.url, 'biometric-kz': emulator.url },
  });
  const selfie = await makePreparedJpeg(800, 600, 7);
  selfieBase64 = Buffer.from(selfie.bytes).toString('base64');
  selfieHead = Buffer.from(selfie.bytes.subarray(0, 48));
  const consent = { acceptedAt: new Date().toISOString(), textVersion: 'v1' };
  const request = {
    kind: 'liveness',
    api: 'kairos-liveness-v0.2',
    selfie,
    threshold: 0.6,
  } as const;
  expect((await services.session.verify({ request, consent })).status).toBe('answered-now');
  connectivity.set(false);
  await services.session.verify({ request, consent, staffRef: REFERENCE });
  connectivity.set(true);
  await services.loop.drain();
  await services.staff.pins.setPin(PIN);
  await services.staff.session.signIn(PIN);
  const answer = await dispatchCommand(services.commands, 'diagnostics:save', undefined, (_, e) => {
    throw e;
  });
  await services.close();
  if (!answer.ok) throw new Error(JSON.stringify(answer.error));
  consoleArchive = Buffer.from(answer.value.base64, 'base64');
  consoleName = answer.value.fileName;
}, 120_000);
afterAll(async () => {
  await emulator.close();
  await keychain.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

let consoleArchive: Buffer;
let consoleName: string;

/** Unpacks an archive; every file's path (relative) and bytes. */
async function unpack(archive: Buffer | string): Promise<Map<string, Buffer>> {
  const into = mkdtempSync(join(tmpdir(), 'kv-diag-out-'));
  const file = typeof archive === 'string' ? archive : join(into, 'archive.tar.gz');
  if (typeof archive !== 'string') writeFileSync(file, archive);
  const out = join(into, 'out');
  mkdirSync(out);
  await extract({ file, cwd: out });
  const files = new Map<string, Buffer>();
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else files.set(`${prefix}${name}`, readFileSync(path));
    }
  };
  walk(out, '');
  rmSync(into, { recursive: true, force: true });
  return files;
}

function expectNothingPrivate(files: Map<string, Buffer>): void {
  const needles = [
    SECRETS.appId,
    SECRETS.appKey,
    PIN,
    'Dana',
    '987654321',
    selfieBase64.slice(0, 40),
  ];
  for (const [name, bytes] of files) {
    for (const needle of needles) {
      expect(bytes.includes(Buffer.from(needle)), `${name} holds ${needle}`).toBe(false);
    }
    expect(bytes.includes(Buffer.from([0xff, 0xd8, 0xff])), `${name} holds JPEG bytes`).toBe(false);
    expect(bytes.includes(Buffer.from('/9j/')), `${name} holds base64 JPEG`).toBe(false);
    expect(bytes.includes(selfieHead), `${name} holds the picture`).toBe(false);
  }
}

describe('diagnostics', () => {
  it("the console's archive has what IT needs and nothing private", async () => {
    expect(consoleName).toMatch(/^kiosk-verify-diagnostics-.*\.tar\.gz$/);
    const files = await unpack(consoleArchive);
    const names = [...files.keys()].map((name) => name.replace(/^[^/]+\//, ''));
    expect(names).toEqual(
      expect.arrayContaining([
        'versions.json',
        'settings.json',
        'keychain.json',
        'queue.json',
        'audit.json',
        'logs/kiosk-verify.log',
      ]),
    );
    const read = (name: string): Record<string, unknown> =>
      JSON.parse([...files].find(([path]) => path.endsWith(name))![1].toString('utf8'));
    expect(read('versions.json')).toMatchObject({
      versions: {
        node: process.versions.node,
        sharp: expect.any(String),
        libvips: expect.any(String),
      },
      os: { platform: process.platform },
    });
    expect(read('keychain.json')).toEqual({
      'kairos.credentials': 'set',
      'biometric-kz.apiKey': 'not-set',
      'queue.dataKey': 'set',
    });
    // The verification answered at once and the one queued offline, then delivered.
    expect(read('queue.json')).toMatchObject({
      totals: { done: 2, queued: 0 },
      jobs: [
        { state: 'done', ticket: expect.stringMatching(/^[2-9A-Z]{6}$/), lastErrorCode: null },
        { state: 'done', ticket: expect.stringMatching(/^[2-9A-Z]{6}$/), lastErrorCode: null },
      ],
    });
    expect(read('audit.json')).toMatchObject({ verifies: true });
    expect(read('settings.json')).toMatchObject({ values: { livenessThreshold: 0.6 }, locked: [] });
    expectNothingPrivate(files);
  });

  it('kiosk-verify diagnostics --out FILE writes the same archive from the data folder', async () => {
    const out = join(dataDir, 'support.tar.gz');
    const result = await runCli(['diagnostics', '--out', out, '--data-dir', dataDir], {
      env: { ...process.env, KIOSK_VERIFY_KEYCHAIN_SERVICE: keychain.service },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ file: out, bytes: statSync(out).size });
    const files = await unpack(out);
    expect([...files.keys()].some((name) => name.endsWith('queue.json'))).toBe(true);
    expectNothingPrivate(files);
  });
});
