/**
 * What each contract command does, over the services: plain Node, so every command runs in
 * tests without Electron. main/electron/ipc.ts registers them through dispatchCommand.
 */
import type {
  AppInfo,
  CommandInput,
  CommandName,
  CommandOutput,
  KioskConfig,
  QueueStatus,
} from '../../preload/contract.js';
import type { CustomerSessions } from '../session/customer-sessions.js';
import type { DeliveryLoop } from '../queue/delivery/delivery-loop.js';
import type { JobStore } from '../queue/store/job-store.js';
import { readSecretStatus } from '../secrets/secret-status.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { summarizeJob } from './job-summary.js';

export type CommandHandlers = {
  [C in CommandName]: (input: CommandInput<C>) => Promise<CommandOutput<C>> | CommandOutput<C>;
};

export interface KioskCommandDeps {
  store: JobStore;
  loop: DeliveryLoop;
  secrets: SecretStore;
  /** The app's version and platform, and whether it runs in training mode. */
  appInfo: () => Promise<AppInfo> | AppInfo;
  /** The customer's session: pictures, guidance, the verification. */
  sessions: CustomerSessions;
  /** What the customer's way through needs of the settings, read afresh each time. */
  kioskConfig: () => Promise<KioskConfig> | KioskConfig;
  /** Keeps the camera that worked, by label, for the next customer and the next start. */
  rememberCamera: (label: string) => void;
}

export function createKioskCommands(deps: KioskCommandDeps): CommandHandlers {
  const { store, loop, secrets, sessions } = deps;
  const queueStatus = (): QueueStatus => ({
    totals: store.totals(),
    pausedVendors: loop.pausedVendors(),
  });
  return {
    'app:get-info': () => deps.appInfo(),
    'secrets:get-status': async () => {
      const status = await readSecretStatus(secrets);
      return { vendors: status.vendors, queueDataKey: status.entries['queue.dataKey'] };
    },
    'queue:get-status': queueStatus,
    'queue:list-jobs': ({ limit }) => store.list(limit).map(summarizeJob),
    'queue:find-job': (ref) => {
      const job = 'id' in ref ? store.get(ref.id) : store.getByTicket(ref.ticket);
      return job === null ? null : summarizeJob(job);
    },
    'queue:retry-job': ({ id }) => {
      const job = summarizeJob(store.retryNow(id));
      loop.wake();
      return job;
    },
    'queue:discard-job': ({ id }) => summarizeJob(store.discard(id)),
    'queue:resume-vendor': ({ vendor }) => {
      loop.resumeVendor(vendor);
      return queueStatus();
    },
    'kiosk:get-config': () => deps.kioskConfig(),
    'kiosk:remember-camera': ({ label }) => {
      deps.rememberCamera(label);
      return null;
    },
    'consent:decline': ({ kind, language }) => {
      sessions.decline(kind, language);
      return null;
    },
    'session:start': ({ kind, language, consentVersion }) =>
      sessions.start(kind, language, consentVersion),
    'session:analyze-frame': ({ sessionId, role, frame }) =>
      sessions.analyzeFrame(sessionId, role, frame),
    'session:capture': ({ sessionId, role, frame }) => sessions.capture(sessionId, role, frame),
    'session:verify': ({ sessionId }) => sessions.verify(sessionId),
    'session:cancel': ({ sessionId }) => {
      sessions.cancel(sessionId);
      return null;
    },
    'session:end': ({ sessionId }) => {
      sessions.end(sessionId);
      return null;
    },
  };
}
