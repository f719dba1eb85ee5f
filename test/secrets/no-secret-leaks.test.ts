/**
 * Known secrets go into the real keychain; the verification flows run (sent now, queued
 * offline, delivered, refused for a wrong key); then the log, every file in the data folder
 * and every IPC payload the renderer would receive (every contract command's answer, every
 * event on the event channel, the session outcomes) are searched for them.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualConnectivity } from '../../main/connectivity/connectivity.js';
import type { QueueEventMap } from '../../main/queue/queue-events.js';
import type { CommandInput, CommandName } from '../../preload/contract.js';
import { dispatchCommand } from '../../main/ipc/dispatch.js';
import { bridgeQueueEvents } from '../../main/ipc/event-bridge.js';
import { writeVendorCredentials } from '../../main/secrets/vendor-credentials.js';
import { createServices } from '../../main/services.js';
import { startEmulator, type VendorEmulator } from '../../main/emulator/index.js';
import { makePreparedJpeg } from '../helpers/images.js';
import { isolatedKeychainStore, requireRealKeychain } from '../helpers/keychain.js';

const STAFF_PIN = '482913';
const SECRETS = {
  appId: 'leak-probe-app-id-7f3a91',
  appKey: 'leak-probe-app-key-c0ffee-2b7d',
  apiKey: 'leak-probe-biometric-kz-api-key-5e8d0c47a1b2c3d4e5f6a7b8c9d0e1f',
  wrongKey: 'leak-probe-wrong-app-key-9d41aa',
};
const EVENT_NAMES: (keyof QueueEventMap)[] = [
  'job-changed',
  'totals',
  'drain-progress',
  'vendor-paused',
  'vendor-resumed',
  'connectivity',
  'delivery-problem',
];

let emulator: VendorEmulator;
let keychain: ReturnType<typeof isolatedKeychainStore>;

beforeAll(async () => {
  await requireRealKeychain();
  emulator = await startEmulator({
    port: 0,
    credentials: {
      kairos: { appId: SECRETS.appId, appKey: SECRETS.appKey },
      biometricKz: { apiKey: SECRETS.apiKey },
    },
  });
  keychain = isolatedKeychainStore();
});
afterAll(async () => {
  await emulator.close();
  await keychain.cleanup();
});

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

it('keeps credentials and the data key out of logs, queue files and UI payloads', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kv-leaks-'));
  const secrets = keychain.store;
  await writeVendorCredentials(secrets, {
    vendor: 'kairos',
    appId: SECRETS.appId,
    appKey: SECRETS.appKey,
  });
  await writeVendorCredentials(secrets, { vendor: 'biometric-kz', apiKey: SECRETS.apiKey });
  const connectivity = new ManualConnectivity(true);
  const services = await createServices({
    dataDir,
    secrets,
    connectivity,
    baseUrls: { kairos: emulator.url, 'biometric-kz': emulator.url },
  });
  const payloads: string[] = [];
  for (const name of EVENT_NAMES)
    services.store.events.on(name, (payload) => payloads.push(JSON.stringify(payload)));
  // What the event channel carries to the renderer.
  bridgeQueueEvents(services.store.events, (event) => payloads.push(JSON.stringify(event)));

  const consent = { acceptedAt: new Date().toISOString(), textVersion: 'v1' };
  const selfie = await makePreparedJpeg(800, 600, 41);
  const idPhoto = await makePreparedJpeg(640, 640, 42);
  const outcomes = [
    await services.session.verify({
      request: { kind: 'liveness', api: 'kairos-liveness-v0.2', selfie, threshold: 0.6 },
      consent,
    }),
    await services.session.verify({
      request: { kind: 'liveness', api: 'biometric-kz-liveness-short', selfie, threshold: 0.6 },
      consent,
    }),
    await services.session.verify({
      request: {
        kind: 'match',
        api: 'kairos-biometric-v0.1',
        selfie,
        image: idPhoto,
        multiface: false,
        threshold: 0.6,
      },
      consent,
    }),
  ];
  connectivity.set(false);
  outcomes.push(
    await services.session.verify({
      request: { kind: 'liveness', api: 'kairos-liveness-v0.1', selfie, threshold: 0.6 },
      consent,
    }),
  );
  connectivity.set(true);
  await services.loop.drain();
  // A wrong key: the vendor refuses, the vendor is paused and staff alerted.
  await writeVendorCredentials(secrets, {
    vendor: 'kairos',
    appId: SECRETS.appId,
    appKey: SECRETS.wrongKey,
  });
  outcomes.push(
    await services.session.verify({
      request: { kind: 'liveness', api: 'kairos-liveness-v0.2', selfie, threshold: 0.6 },
      consent,
    }),
  );
  await services.loop.drain();
  // Every command the renderer can call, answered over the state the flows left behind.
  const commands = services.commands;
  const today = new Date().toISOString().slice(0, 10);
  const jobs = services.store.list();
  const queuedJob = jobs.find((job) => job.state === 'retry-wait' || job.state === 'queued')!;
  const doneJob = jobs.find((job) => job.state === 'done')!;
  // Staff sign in first (a wrong PIN, then the first PIN set): the console's commands need it.
  const inputs: { [C in CommandName]: CommandInput<C>[] } = {
    'staff:get-status': [undefined],
    'staff:set-first-pin': [{ pin: STAFF_PIN }],
    'staff:sign-in': [{ pin: '000001' }, { pin: STAFF_PIN }],
    'settings:get': [undefined],
    'settings:update': [{ livenessThreshold: 0.65, languages: ['en', 'ru'] }],
    'credentials:get': [undefined],
    // Staff type the same keys again (and a key with a space in it, which is refused).
    'credentials:set': [
      { vendor: 'kairos', appId: SECRETS.appId, appKey: SECRETS.appKey },
      { vendor: 'biometric-kz', apiKey: `${SECRETS.apiKey} x` },
    ],
    'credentials:test': [{ vendor: 'kairos' }, { vendor: 'biometric-kz' }],
    'credentials:remove': [{ vendor: 'biometric-kz' }],
    'audit:verify': [undefined],
    'audit:export': [
      { from: '2020-01-01', to: '2020-02-01' },
      { from: today, to: today },
    ],
    'queue:list-page': [
      { list: 'queue', offset: 0, limit: 50 },
      { list: 'results', offset: 0, limit: 50, ticket: doneJob.ticket.slice(0, 3) },
    ],
    'app:get-info': [undefined],
    'secrets:get-status': [undefined],
    'queue:get-status': [undefined],
    'queue:list-jobs': [{ limit: 500 }],
    'queue:find-job': [{ id: doneJob.id }, { ticket: queuedJob.ticket }],
    'queue:retry-job': [{ id: queuedJob.id }, { id: doneJob.id }],
    'queue:discard-job': [{ id: queuedJob.id }, { id: 'no-such-job' }],
    'queue:resume-vendor': [{ vendor: 'kairos' }],
    'kiosk:get-config': [undefined],
    'kiosk:remember-camera': [{ label: 'USB camera' }],
    'consent:decline': [{ kind: 'liveness', language: 'kk' }],
    'session:start': [{ kind: 'liveness', language: 'en', consentVersion: '2026-12' }],
    // A session that does not exist (the one above is not known here by id): typed errors.
    'session:analyze-frame': [
      {
        sessionId: randomUUID(),
        role: 'selfie',
        frame: { width: 16, height: 16, data: new Uint8Array(1024) },
      },
    ],
    'session:capture': [
      {
        sessionId: randomUUID(),
        role: 'selfie',
        frame: { width: 16, height: 16, data: new Uint8Array(1024) },
      },
    ],
    'session:verify': [{ sessionId: randomUUID() }],
    'session:cancel': [{ sessionId: randomUUID() }],
    'session:end': [{ sessionId: randomUUID() }],
    'diagnostics:save': [undefined],
    'app:quit': [undefined],
    'staff:activity': [undefined],
    'staff:sign-out': [undefined],
  };
  const answers: string[] = [];
  for (const channel of Object.keys(inputs) as CommandName[]) {
    for (const input of inputs[channel]) {
      const answer = await dispatchCommand(commands, channel, input, (_, error) => {
        throw error;
      });
      answers.push(JSON.stringify(answer));
    }
  }
  // The answers carry real content: results, paused vendors, typed failures.
  expect(answers.join('\n')).toContain('"liveness"');
  expect(answers.join('\n')).toContain('"invalid-state"');
  expect(answers.join('\n')).toContain('"not-found"');
  payloads.push(...answers);
  const dataKey = (await secrets.get('queue.dataKey'))!;
  await services.close();

  expect(outcomes.map((o) => o.status)).toEqual([
    'answered-now',
    'answered-now',
    'answered-now',
    'queued',
    'queued',
  ]);
  expect(payloads.some((p) => p.includes('"vendor-paused"') || p.includes('"auth"'))).toBe(true);
  const uiPayloads = [...payloads, ...outcomes.map((o) => JSON.stringify(o))].join('\n');
  const files = filesBelow(dataDir);
  expect(files.some((file) => file.endsWith('kiosk-verify.log'))).toBe(true);
  expect(
    readFileSync(
      files.find((file) => file.endsWith('.log'))!,
      'utf8',
    ),
  ).toContain('job-changed');

  // The console's answers were real: a page of results, an export with rows, a test answer.
  expect(answers.join('\n')).toContain('"total"');
  expect(answers.join('\n')).toMatch(/"rows":[1-9]/);
  expect(answers.join('\n')).toContain('"endpoint"');
  const needles = [...Object.values(SECRETS), dataKey, STAFF_PIN];
  for (const needle of needles) {
    expect(uiPayloads.includes(needle), `UI payloads contain ${needle}`).toBe(false);
    for (const file of files) {
      expect(readFileSync(file).includes(Buffer.from(needle)), `${file} contains ${needle}`).toBe(
        false,
      );
    }
  }
  const rawKey = Buffer.from(dataKey, 'base64');
  for (const file of files)
    expect(readFileSync(file).includes(rawKey), `${file} holds the data key`).toBe(false);
});
