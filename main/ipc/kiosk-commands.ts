/**
 * What each contract command does, over the services: plain Node, so every command runs in
 * tests without Electron. main/electron/ipc.ts registers them through dispatchCommand.
 */
import type {
  AppInfo,
  CommandInput,
  CommandName,
  CommandOutput,
  QueueStatus,
} from '../../preload/contract.js';
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
}

export function createKioskCommands(deps: KioskCommandDeps): CommandHandlers {
  const { store, loop, secrets } = deps;
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
  };
}
