/**
 * A whole kiosk for the Chromium suites: the real services in training mode (the embedded
 * emulator, a real queue file, the real keychain under a service of its own), the built
 * renderer served by the browser harness, and settings written before start (short idle
 * timeouts, a session kind). Everything is removed on close.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKiosk, type Kiosk } from '../../../main/kiosk.js';
import { startHarness, type Harness } from '../../../main/web/harness-server.js';
import type { KioskSettings } from '../../../model/kiosk-settings.js';
import { isolatedKeychainStore, requireRealKeychain } from '../../helpers/keychain.js';
import { REPO_ROOT } from './paths.js';

export interface TestKiosk {
  kiosk: Kiosk;
  harness: Harness;
  /** The address with the token: what `npm start` prints. */
  url: string;
  dataDir: string;
  /** The event log's lines, parsed. */
  logEvents(): { event: string; [field: string]: unknown }[];
  close(): Promise<void>;
}

export type SettingsPatch = Omit<Partial<KioskSettings>, 'idle' | 'capture'> & {
  idle?: Partial<KioskSettings['idle']>;
  capture?: Partial<KioskSettings['capture']>;
};

export async function startTestKiosk(settings: SettingsPatch = {}): Promise<TestKiosk> {
  await requireRealKeychain();
  const dataDir = mkdtempSync(join(tmpdir(), 'kv-ui-'));
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings));
  const keychain = isolatedKeychainStore();
  const kiosk = await startKiosk({ dataDir, secrets: keychain.store });
  if (kiosk.services.settings.problem !== null) {
    throw new Error(`test settings refused: ${kiosk.services.settings.problem}`);
  }
  const harness = await startHarness({
    commands: kiosk.commands,
    onEvent: (listener) => kiosk.onEvent(listener),
    rendererDir: join(REPO_ROOT, 'dist', 'renderer'),
    onInternalError: (channel, error) => {
      throw new Error(`internal error in ${channel}`, { cause: error });
    },
  });
  await kiosk.services.startDelivery();
  await kiosk.services.capture.start();
  const logFile = kiosk.services.log.file;
  return {
    kiosk,
    harness,
    url: harness.url,
    dataDir,
    logEvents: () =>
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { event: string }),
    async close() {
      await harness.close();
      await kiosk.close();
      await keychain.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
