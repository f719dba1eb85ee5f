/** What every command may need, opened only when it does: the keychain and the services. */
import { homedir } from 'node:os';
import { createServices, type Services, type ServicesOptions } from '../services.js';
import { defaultDataDir } from '../queue/data-dir.js';
import { KeytarSecretStore } from '../secrets/keytar-secret-store.js';
import type { SecretStore } from '../secrets/secret-store.js';

export interface CliContext {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Aborted when the operator asks to stop (Ctrl+C, SIGTERM). */
  stop: AbortSignal;
  keychain(): SecretStore;
}

/**
 * KIOSK_VERIFY_KEYCHAIN_SERVICE files the entries under another keychain service: for tests
 * that must not share entries with each other (the app and the CLI use the default).
 */
export function createCliContext(
  io: Omit<CliContext, 'keychain'>,
  makeKeychain: () => SecretStore = () =>
    new KeytarSecretStore(
      io.env.KIOSK_VERIFY_KEYCHAIN_SERVICE ? { service: io.env.KIOSK_VERIFY_KEYCHAIN_SERVICE } : {},
    ),
): CliContext {
  let keychain: SecretStore | undefined;
  return { ...io, keychain: () => (keychain ??= makeKeychain()) };
}

/** The queue's folder: --data-dir, else the app's own data folder (Electron's userData). */
export function dataDirOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? defaultDataDir(process.platform, env, homedir());
}

/** Opens the services over the queue in `dataDir`; the caller closes them. */
export function openServices(
  context: CliContext,
  dataDir: string,
  extra: Partial<ServicesOptions> = {},
): Promise<Services> {
  return createServices({ dataDir, secrets: context.keychain(), ...extra });
}
