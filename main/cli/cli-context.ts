/** What every command may need, opened only when it does: the keychain and the services. */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import {
  createServices,
  openQueueStore,
  type Services,
  type ServicesOptions,
} from '../services.js';
import { defaultDataDir, queueDatabasePath } from '../queue/store/data-dir.js';
import type { JobStore } from '../queue/store/job-store.js';
import { KeytarSecretStore } from '../secrets/keytar-secret-store.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { CliError, usageError } from './cli-error.js';

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

/**
 * The queue's folder: --data-dir, else the app's own data folder (Electron's userData). A
 * --data-dir must already hold a queue unless the command creates one (`enqueue`): a typo
 * must not show an empty queue, or drain nothing and say all is well.
 */
export function dataDirOf(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  options: { mayCreate?: boolean } = {},
): string {
  if (flag === undefined) return defaultDataDir(process.platform, env, homedir());
  if (flag.trim() === '') throw usageError('--data-dir needs a folder.');
  if (!options.mayCreate && !existsSync(queueDatabasePath(flag))) {
    throw new CliError(
      'no-queue',
      `There is no queue in ${flag} (no ${queueDatabasePath(flag)}). Check the --data-dir ` +
        "path; leave it out to use the kiosk's own data folder.",
    );
  }
  return flag;
}

/** Opens the services over the queue in `dataDir`; the caller closes them. */
export async function openServices(
  context: CliContext,
  dataDir: string,
  extra: Partial<ServicesOptions> = {},
): Promise<Services> {
  const services = await createServices({ dataDir, secrets: context.keychain(), ...extra });
  warnIfMovedAside(context, services.store);
  return services;
}

/** Opens only the queue's store, without the keychain: for commands that decrypt nothing. */
export function openStore(context: CliContext, dataDir: string): JobStore {
  const store = openQueueStore(dataDir);
  warnIfMovedAside(context, store);
  return store;
}

function warnIfMovedAside(context: CliContext, store: JobStore): void {
  if (store.movedAside === null) return;
  context.stderr.write(
    `Warning: the queue's database ${store.file} was damaged. It was moved aside to ` +
      `${store.movedAside} (kept, not deleted) and a new queue was started. Run ` +
      `"kiosk-verify queue recover ${store.movedAside}" to bring back every job that can ` +
      'still be read.\n',
  );
}
