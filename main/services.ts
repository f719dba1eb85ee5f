/**
 * The composition root: builds every service of the main process from its parts, for the app
 * (main/electron/) and the CLI alike. No electron here: platform objects come in as options.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { VendorGateway, type GatewayOptions } from './vendors/gateway.js';
import { DEFAULT_BASE_URL, VENDOR_IDS, type VendorId } from '../model/apis.js';
import { CaptureService } from './capture/capture-service.js';
import { createKioskCommands, type CommandHandlers } from './ipc/kiosk-commands.js';
import { readSecretStatus } from './secrets/secret-status.js';
import type { Clock } from './clock/clock.js';
import type { Connectivity } from './connectivity/connectivity.js';
import { DeliveryLoop } from './queue/delivery/delivery-loop.js';
import type { DeliveryPolicy } from './queue/delivery/delivery-policy.js';
import { queueDatabasePath } from './queue/store/data-dir.js';
import { JobStore } from './queue/store/job-store.js';
import { OsAwareConnectivity } from './connectivity/os-aware-connectivity.js';
import { ReachabilityConnectivity } from './connectivity/reachability-connectivity.js';
import { withStorage } from './queue/store/storage-errors.js';
import type { SecretStore } from './secrets/secret-store.js';
import { getOrCreateQueueDataKey } from './secrets/queue-data-key.js';
import { EventLog, logQueueEvents } from './log/event-log.js';
import { VerificationSession } from './session/verification-session.js';

export interface QueueStoreOptions {
  clock?: Clock;
  /** A job not delivered within this long expires (JobStoreOptions.maxAgeMs). */
  maxAgeMs?: number;
  /** The queue file's size limit (JobStoreOptions.maxBytes). */
  maxBytes?: number;
}

export interface ServicesOptions extends QueueStoreOptions {
  /** Where the queue lives (Electron's userData, or the CLI's --data-dir). */
  dataDir: string;
  secrets: SecretStore;
  baseUrls?: Partial<Record<VendorId, string>>;
  timeouts?: GatewayOptions['timeouts'];
  /** Defaults to a reachability check of the vendor hosts (with osOnline's answer first). */
  connectivity?: Connectivity;
  /** The OS's own view of the network (Electron's net.isOnline in the app). */
  osOnline?: () => boolean;
  policy?: Partial<DeliveryPolicy>;
  concurrency?: Partial<Record<VendorId, number>>;
  /** What the UI's "about" shows: the app's version (Electron's app.getVersion()). */
  appVersion?: string;
}

export interface Services {
  gateway: VendorGateway;
  store: JobStore;
  log: EventLog;
  loop: DeliveryLoop;
  session: VerificationSession;
  connectivity: Connectivity;
  /** Frames and files to vendor-ready images; its face worker starts on first use. */
  capture: CaptureService;
  /** What each contract command does, ready for the IPC border (Electron or the harness). */
  commands: CommandHandlers;
  /**
   * Training mode: no vendor has credentials in the keychain, so the kiosk runs on the
   * embedded emulator. Asked each time: setting or removing credentials changes it.
   */
  isTrainingMode(): Promise<boolean>;
  /** Starts the connectivity probe (when it is ours) and the delivery loop. */
  startDelivery(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the queue's store in the data folder (created private to the user) without its data
 * key: enough to list, show, retry and discard, and what createServices builds on.
 */
export function openQueueStore(dataDir: string, options: QueueStoreOptions = {}): JobStore {
  const file = queueDatabasePath(dataDir);
  withStorage(file, () => mkdirSync(dataDir, { recursive: true, mode: 0o700 }));
  return JobStore.open({
    file,
    dataKey: null,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  });
}

/**
 * Opens the queue and wires the services together. Recovering sends a crash interrupted and
 * sweeping expired jobs is the delivery loop's start-up work (startDelivery), done once there.
 */
export async function createServices(options: ServicesOptions): Promise<Services> {
  const store = openQueueStore(options.dataDir, options);
  try {
    // The keychain is asked only now, knowing which key the queued jobs need: a missing or
    // different key is refused (nothing created, nothing failed) while jobs are sealed under one.
    const sealed = store.sealedWith();
    const dataKey = await getOrCreateQueueDataKey(options.secrets, {
      sealedWith: sealed.keyIds,
      jobs: sealed.jobs,
    });
    store.useDataKey(dataKey);
    dataKey.fill(0);
  } catch (error) {
    store.close();
    throw error;
  }
  const log = new EventLog(join(options.dataDir, 'logs', 'kiosk-verify.log'));
  const stopLogging = logQueueEvents(store.events, log);
  if (store.movedAside !== null) {
    log.record('queue-moved-aside', { file: store.file, movedTo: store.movedAside });
  }

  const baseUrls = { ...DEFAULT_BASE_URL, ...options.baseUrls };
  const gateway = new VendorGateway({
    baseUrls,
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  });
  const probe = options.connectivity
    ? undefined
    : new ReachabilityConnectivity({ baseUrls: [...new Set(Object.values(baseUrls))] });
  const connectivity: Connectivity =
    options.connectivity ??
    (options.osOnline ? new OsAwareConnectivity(options.osOnline, probe!) : probe!);
  const loop = new DeliveryLoop({
    store,
    sender: gateway,
    secrets: options.secrets,
    connectivity,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
  const session = new VerificationSession({
    sender: gateway,
    secrets: options.secrets,
    store,
    connectivity,
    onQueued: () => loop.wake(),
  });
  const capture = new CaptureService();
  const isTrainingMode = async (): Promise<boolean> => {
    const status = await readSecretStatus(options.secrets);
    return VENDOR_IDS.every((vendor) => status.vendors[vendor] === 'not-set');
  };
  const commands = createKioskCommands({
    store,
    loop,
    secrets: options.secrets,
    appInfo: async () => ({
      version: options.appVersion ?? 'development',
      trainingMode: await isTrainingMode(),
      platform: process.platform,
    }),
  });
  return {
    gateway,
    store,
    log,
    loop,
    session,
    connectivity,
    capture,
    commands,
    isTrainingMode,
    async startDelivery() {
      probe?.start();
      await loop.start();
    },
    async close() {
      probe?.stop();
      await loop.stop();
      await capture.close();
      await gateway.close();
      stopLogging();
      store.close();
      await log.close();
    },
  };
}
