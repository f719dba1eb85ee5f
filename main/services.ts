/**
 * The composition root: builds every service of the main process from its parts, for the app
 * (main/electron/) and the CLI alike. No electron here: platform objects come in as options.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { VendorGateway, type GatewayOptions } from './vendors/gateway.js';
import {
  DEFAULT_BASE_URL,
  VENDOR_DISPLAY_NAME,
  VENDOR_IDS,
  VENDOR_OF_API,
  type VendorId,
} from '../model/apis.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The audit trail's retention is applied at start and then every hour. */
const AUDIT_PURGE_INTERVAL_MS = 60 * 60 * 1000;
import { CaptureService } from './capture/capture-service.js';
import { gateOverridesFromSettings } from './capture/gate-overrides.js';
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
import { AuditTrail } from './audit/audit-trail.js';
import {
  auditJobChanges,
  auditSessionRecords,
  auditSink,
  teeSessionRecords,
  type AuditSink,
} from './audit/audit-sources.js';
import { isAuditError } from './audit/audit-error.js';
import { verdictOf } from '../model/result-model.js';
import { MAX_PIN_TRIES, StaffPinStore } from './staff/staff-pin-store.js';
import { StaffSession } from './staff/staff-session.js';
import type { StaffEventHook } from './staff/staff-events.js';
import { VerificationSession } from './session/verification-session.js';
import { CustomerSessions, type CustomerSessionEvent } from './session/customer-sessions.js';
import { SettingsStore } from './settings/settings-store.js';
import { CONSENT_TEXT_VERSION, type KioskSettings } from '../model/kiosk-settings.js';
import { createConsoleCommands } from './ipc/console-commands.js';
import { testConnection } from './ipc/connection-test.js';
import { CredentialDates } from './secrets/credential-dates.js';
import { gatherDiagnostics } from './diagnostics/gather.js';
import { connectionTestPicture } from './capture/test-picture.js';
import type { KioskConfig } from '../preload/contract.js';

export interface QueueStoreOptions {
  clock?: Clock;
  /** A job not delivered within this long expires (JobStoreOptions.maxAgeMs). */
  maxAgeMs?: number;
  /** The queue file's size limit (JobStoreOptions.maxBytes). */
  maxBytes?: number;
  /** Training mode: jobs made are training jobs, and only those are delivered. */
  training?: boolean;
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
  /** The settings; default: settings.json in the data folder. */
  settings?: SettingsStore;
  /**
   * Called with each customer session's progress and state, for the renderer (the event
   * bridge); add listeners later with onSessionEvent.
   */
  onSessionEvent?: (event: CustomerSessionEvent) => void;
  /** The staff console's events for the renderer (signed out); kiosk.ts sends them on. */
  onConsoleEvent?: (event: { type: 'staff-signed-out'; reason: 'idle' | 'signed-out' }) => void;
  /**
   * The OS keychain itself, where staff's credentials go; default `secrets`. In training mode
   * `secrets` is the training stand-in (kiosk.ts) and this the real keychain.
   */
  keychain?: SecretStore;
  /** Whether training mode is forced by the settings (the console says why it trains). */
  trainingForced?: () => boolean;
  /**
   * Credentials were saved or removed in the console: kiosk.ts switches mode when it must;
   * default: the delivery loop resumes a vendor paused for its credentials.
   */
  onCredentialsChanged?: (vendor: VendorId) => Promise<void>;
  /** The mode the console shows (kiosk.ts's, which outlives a switch); default this store's. */
  mode?: () => { training: boolean; forced: boolean };
  /** Quits the app, for the console's Quit (the Electron shell); absent: the kiosk cannot. */
  onQuit?: () => void;
  /** Staff stay signed in across a switch between training and real mode (kiosk.ts). */
  staffSignedIn?: boolean;
}

export interface Services {
  gateway: VendorGateway;
  store: JobStore;
  log: EventLog;
  /** The tamper-evident audit trail (`<data dir>/audit.sqlite`), for the compliance team. */
  audit: AuditTrail;
  /**
   * The staff console's PIN and its signed-in session (two minutes idle; signed out when a
   * customer's session starts). Every PIN event goes to the audit trail.
   */
  staff: { pins: StaffPinStore; session: StaffSession };
  /**
   * Appends to the audit trail without ever throwing (a failed write goes to the event log):
   * what settings, credentials and staff code call to record who changed what.
   */
  recordAudit: AuditSink;
  loop: DeliveryLoop;
  session: VerificationSession;
  connectivity: Connectivity;
  /** Frames and files to vendor-ready images; its face worker starts on first use. */
  capture: CaptureService;
  settings: SettingsStore;
  /** The customer in front of the kiosk: pictures, guidance, the verification. */
  sessions: CustomerSessions;
  /** Staff console: when each vendor's credentials last changed (never the values). */
  credentialDates: CredentialDates;
  /** Every customer session event (progress, state); returns the unsubscribe function. */
  onSessionEvent(listener: (event: CustomerSessionEvent) => void): () => void;
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
    ...(options.training === undefined ? {} : { training: options.training }),
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
  let audit: AuditTrail;
  try {
    audit = AuditTrail.open(options.dataDir, options.clock ? { clock: options.clock } : {});
  } catch (error) {
    store.close();
    throw error;
  }
  const settings = options.settings ?? new SettingsStore(join(options.dataDir, 'settings.json'));
  const logSettings = settings.current().log;
  const log = new EventLog(join(options.dataDir, 'logs', 'kiosk-verify.log'), {
    maxBytes: Math.round(logSettings.maxFileMegabytes * 1024 * 1024),
    maxFiles: logSettings.keepFiles,
  });
  const stopLogging = logQueueEvents(store.events, log);
  // The kiosk keeps serving when an audit write fails (a full disk): IT sees it in the log.
  const recordAudit = auditSink(audit, (error, type) =>
    log.record('audit-write-failed', {
      type,
      code: isAuditError(error) ? error.code : 'unexpected',
      message: error instanceof Error ? error.message : String(error),
    }),
  );
  const staffEvents = auditStaffEvents(recordAudit);
  const pins = new StaffPinStore({
    dataDir: options.dataDir,
    onEvent: staffEvents,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const staffSession = new StaffSession({
    pins,
    onEvent: staffEvents,
    onSignedOut: (reason) => options.onConsoleEvent?.({ type: 'staff-signed-out', reason }),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const stopAuditingJobs = auditJobChanges(
    (listener) => store.events.on('job-changed', listener),
    recordAudit,
    (jobId) => {
      try {
        const result = store.get(jobId)?.result;
        return result ? verdictOf(result) : null;
      } catch {
        return null;
      }
    },
  );
  recordAudit('app-started', {
    version: options.appVersion ?? 'development',
    training: store.trainingMode,
  });
  if (store.movedAside !== null) {
    log.record('queue-moved-aside', { file: store.file, movedTo: store.movedAside });
  }

  // The settings' addresses, unless the kiosk points every vendor elsewhere (the emulator).
  const baseUrlsOf = (current: KioskSettings): Record<VendorId, string> => ({
    ...DEFAULT_BASE_URL,
    ...Object.fromEntries(
      Object.entries(current.baseUrls).filter(
        (entry): entry is [VendorId, string] => entry[1] !== null,
      ),
    ),
    ...options.baseUrls,
  });
  const limitsOf = (current: KioskSettings) => ({
    maxAgeMs: options.maxAgeMs ?? current.maxQueueDays * DAY_MS,
    retentionMs: current.retentionDays * DAY_MS,
  });
  store.setLimits(limitsOf(settings.current()));
  const baseUrls = baseUrlsOf(settings.current());
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
    onRecordFailed: (error) =>
      log.record('result-not-kept', {
        message: error instanceof Error ? error.message : String(error),
      }),
  });
  if (settings.problem !== null) log.record('settings-unreadable', { message: settings.problem });
  if (settings.policyProblem !== null) {
    log.record('policy-problem', { message: settings.policyProblem });
  }
  if (settings.locked.length > 0) log.record('policy-applied', { locked: [...settings.locked] });
  // The walk-up distance's face-size gates are settings: read now, and again on every change.
  const capture = new CaptureService({
    gates: gateOverridesFromSettings(settings.current().capture),
    quality: settings.current().quality,
  });
  // Settings take effect without a restart: the gates, the vendors' addresses, the queue's
  // limits (the customer flow reads its timeouts at each attract screen).
  const stopGates = settings.onChange((next) => {
    try {
      capture.setGates(gateOverridesFromSettings(next.capture));
      capture.setQuality(next.quality);
      const nextUrls = baseUrlsOf(next);
      gateway.setBaseUrls(nextUrls);
      probe?.setBaseUrls([...new Set(Object.values(nextUrls))]);
      store.setLimits(limitsOf(next));
      purgeAudit();
    } catch (error) {
      log.record('settings-refused', { message: (error as Error).message });
    }
  });
  // The audit trail keeps what the retention period covers, and records each purge.
  const purgeAudit = (): void => {
    try {
      const before = new Date(
        (options.clock?.now() ?? Date.now()) - settings.current().retentionDays * DAY_MS,
      );
      const purged = audit.purge(before);
      if (purged.deleted > 0) log.record('audit-purged', { deleted: purged.deleted });
    } catch (error) {
      log.record('audit-purge-failed', { message: (error as Error).message });
    }
  };
  const purgeTimer = setInterval(purgeAudit, AUDIT_PURGE_INTERVAL_MS);
  purgeTimer.unref();
  const isTrainingMode = async (): Promise<boolean> => {
    if (options.training !== undefined) return options.training;
    const status = await readSecretStatus(options.secrets);
    return VENDOR_IDS.every((vendor) => status.vendors[vendor] === 'not-set');
  };
  const sessionListeners = new Set<(event: CustomerSessionEvent) => void>();
  if (options.onSessionEvent) sessionListeners.add(options.onSessionEvent);
  const sessions = new CustomerSessions({
    capture,
    verification: session,
    settings: () => settings.current(),
    training: () => store.trainingMode,
    // The event log for IT and the audit trail for compliance, each with its own fields.
    log: teeSessionRecords(
      log,
      auditSessionRecords(recordAudit, { consentVersion: () => CONSENT_TEXT_VERSION }),
    ),
    emit: (event) => {
      // The staff console never stays open behind a customer.
      if (event.type === 'session-state' && event.state === 'capturing') staffSession.signOut();
      for (const listener of sessionListeners) listener(event);
    },
  });
  const kioskConfig = (): KioskConfig => {
    const current = settings.current();
    return {
      trainingMode: store.trainingMode,
      languages: current.languages,
      defaultLanguage: current.languages.includes(current.defaultLanguage)
        ? current.defaultLanguage
        : current.languages[0]!,
      defaultSessionKind: current.defaultSessionKind,
      vendorNames: {
        liveness: VENDOR_DISPLAY_NAME[VENDOR_OF_API[current.apis.liveness]],
        'liveness-and-match':
          VENDOR_DISPLAY_NAME[VENDOR_OF_API[current.apis['liveness-and-match']]],
      },
      maxQueueDays: Math.round((store.maxAgeMs / DAY_MS) * 10) / 10,
      retentionDays: Math.round(store.retentionMs / DAY_MS),
      consentVersion: CONSENT_TEXT_VERSION,
      idle: {
        resultMs: current.idle.resultSeconds * 1000,
        otherMs: current.idle.otherSeconds * 1000,
      },
      autoCaptureSteadyMs: current.capture.autoCaptureSteadyMs,
      manualCaptureAfterMs: current.capture.manualCaptureAfterSeconds * 1000,
      camera: current.camera,
    };
  };
  const keychain = options.keychain ?? options.secrets;
  const credentialDates = new CredentialDates(options.dataDir);
  if (options.staffSignedIn === true) staffSession.continueSignedIn();
  const consoleCommands = createConsoleCommands({
    store,
    loop,
    connectivity,
    settings,
    pins,
    staff: staffSession,
    audit,
    recordAudit,
    keychain,
    credentialDates,
    mode:
      options.mode ??
      (() => ({
        training: store.trainingMode,
        forced: options.trainingForced?.() ?? settings.current().training,
      })),
    credentialsChanged:
      options.onCredentialsChanged ??
      ((vendor) => {
        loop.credentialsChanged(vendor);
        return Promise.resolve();
      }),
    testConnection: (vendor) =>
      testConnection(
        {
          gateway,
          secrets: options.secrets,
          settings: () => settings.current(),
          picture: connectionTestPicture,
          training: () => store.trainingMode,
        },
        vendor,
      ),
    storageProblem: () => loop.storageProblem()?.message ?? null,
    diagnostics: () =>
      gatherDiagnostics({
        app: { version: options.appVersion ?? 'development', training: store.trainingMode },
        store: () => store,
        settings: () => settings,
        keychain: () => keychain,
        audit: () => audit,
        logFiles: log.files(),
      }),
    quit: options.onQuit ?? null,
  });
  const kioskCommands = createKioskCommands({
    appInfo: async () => ({
      version: options.appVersion ?? 'development',
      trainingMode: await isTrainingMode(),
      platform: process.platform,
      canQuit: options.onQuit !== undefined,
    }),
    sessions,
    kioskConfig,
    rememberCamera: (label) => {
      // A camera the bank's policy names stays the policy's.
      if (settings.current().camera !== label && !settings.locked.includes('camera')) {
        settings.update({ camera: label });
      }
    },
  });
  const commands: CommandHandlers = { ...kioskCommands, ...consoleCommands };
  return {
    gateway,
    store,
    log,
    audit,
    recordAudit,
    staff: { pins, session: staffSession },
    loop,
    session,
    connectivity,
    capture,
    settings,
    sessions,
    onSessionEvent(listener) {
      sessionListeners.add(listener);
      return () => sessionListeners.delete(listener);
    },
    commands,
    credentialDates,
    isTrainingMode,
    async startDelivery() {
      probe?.start();
      await loop.start();
      purgeAudit();
    },
    async close() {
      clearInterval(purgeTimer);
      stopGates();
      sessions.close();
      probe?.stop();
      await loop.stop();
      await capture.close();
      await gateway.close();
      stopLogging();
      stopAuditingJobs();
      staffSession.close();
      recordAudit('app-stopped', {});
      store.close();
      audit.close();
      await log.close();
    },
  };
}

/**
 * The staff room's events as audit entries. There is one console PIN, not one per person, so
 * the audit's staff id is 'console'; the PIN itself never reaches here (staff-events.ts).
 */
function auditStaffEvents(record: AuditSink): StaffEventHook {
  return (type, details) => {
    switch (type) {
      case 'pin-set':
        record('staff-pin-set', {
          how: details.how as 'first' | 'changed' | 'reset',
          lockCleared: details.lockCleared === true,
        });
        break;
      case 'pin-failed':
        record('pin-failed', {
          staff: 'console',
          failures: MAX_PIN_TRIES - Number(details.triesLeft),
        });
        break;
      case 'staff-locked-out':
        record('staff-locked-out', {
          staff: 'console',
          failures: Number(details.failedTries),
          until: new Date(String(details.until)).toISOString(),
        });
        break;
      case 'staff-signed-in':
        record('staff-signed-in', { staff: 'console' });
        break;
      case 'staff-signed-out':
        record('staff-signed-out', {
          staff: 'console',
          reason: details.reason === 'idle' ? 'idle' : 'signed-out',
        });
        break;
    }
  };
}
