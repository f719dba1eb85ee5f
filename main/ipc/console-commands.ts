/**
 * The staff console's commands (preload/console-contract.ts), over the services: the PIN and
 * sign-in, settings, credentials (write-only), test connection, the queue and results lists,
 * and the audit trail. Every command but the staff:* ones needs a signed-in staff member, and
 * each one counts as activity (the two-minute idle sign-out starts again). Plain Node.
 */
import { ZodError } from 'zod';
import type {
  AuditVerify,
  CommandInput,
  CommandOutput,
  CredentialsView,
  JobSummary,
  QueueStatus,
  SettingsView,
  StaffStatus,
} from '../../preload/contract.js';
import type { VendorId } from '../../model/apis.js';
import type { KioskSettings } from '../../model/kiosk-settings.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { AuditSink } from '../audit/audit-sources.js';
import type { Connectivity } from '../connectivity/connectivity.js';
import type { DeliveryLoop } from '../queue/delivery/delivery-loop.js';
import type { JobStore } from '../queue/store/job-store.js';
import type { CredentialDates } from '../secrets/credential-dates.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { readSecretStatus } from '../secrets/secret-status.js';
import {
  deleteVendorCredentials,
  unsendableCredential,
  unsendableCredentialMessage,
  writeVendorCredentials,
} from '../secrets/vendor-credentials.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { StaffPinStore } from '../staff/staff-pin-store.js';
import type { StaffSession } from '../staff/staff-session.js';
import { ConsoleError } from '../staff/console-error.js';
import { auditCsvForDays } from './audit-export.js';
import { summarizeJob } from './job-summary.js';
import type { CommandHandlers } from './kiosk-commands.js';
import { settingChanges } from './setting-changes.js';

export interface ConsoleCommandDeps {
  store: JobStore;
  loop: DeliveryLoop;
  connectivity: Connectivity;
  settings: SettingsStore;
  pins: StaffPinStore;
  staff: StaffSession;
  audit: AuditTrail;
  recordAudit: AuditSink;
  /** The OS keychain itself (never the training stand-in): where staff's credentials go. */
  keychain: SecretStore;
  credentialDates: CredentialDates;
  /** Whether the kiosk runs on the embedded emulator now, and whether the settings force it. */
  mode: () => { training: boolean; forced: boolean };
  /**
   * After credentials were saved or removed: the kiosk switches between training and real mode
   * when it must (kiosk.ts), else tells the delivery loop (a vendor paused for its credentials
   * resumes at once).
   */
  credentialsChanged: (vendor: VendorId) => Promise<void>;
  /** One request with the built-in test picture (main/ipc/connection-test.ts). */
  testConnection: (vendor: VendorId) => Promise<CommandOutput<'credentials:test'>>;
  /** The diagnostics archive (main/diagnostics/). */
  diagnostics: () => Promise<{ fileName: string; bytes: Buffer }>;
  /** Quits the app; null where the kiosk cannot quit itself (the browser harness). */
  quit: (() => void) | null;
  /** Why the queue's storage fails now, or null. */
  storageProblem: () => string | null;
  now?: () => number;
}

type ConsoleChannel =
  | 'queue:get-status'
  | 'queue:list-jobs'
  | 'queue:list-page'
  | 'queue:find-job'
  | 'queue:retry-job'
  | 'queue:discard-job'
  | 'queue:resume-vendor'
  | 'secrets:get-status'
  | 'staff:get-status'
  | 'staff:set-first-pin'
  | 'staff:sign-in'
  | 'staff:sign-out'
  | 'staff:activity'
  | 'settings:get'
  | 'settings:update'
  | 'credentials:get'
  | 'credentials:set'
  | 'credentials:remove'
  | 'credentials:test'
  | 'audit:verify'
  | 'audit:export'
  | 'diagnostics:save'
  | 'app:quit';

export type ConsoleHandlers = Pick<CommandHandlers, ConsoleChannel>;

export function createConsoleCommands(deps: ConsoleCommandDeps): ConsoleHandlers {
  const { store, loop, settings, staff, pins } = deps;
  const now = deps.now ?? Date.now;

  /** Runs `work` for a signed-in staff member only; it counts as activity. */
  const signedIn =
    <I, O>(work: (input: I) => O | Promise<O>) =>
    (input: I): O | Promise<O> => {
      if (!staff.touch()) throw new ConsoleError();
      return work(input);
    };

  const summary = (job: Parameters<typeof summarizeJob>[0]): JobSummary =>
    summarizeJob(job, store.retentionMs);

  const queueStatus = async (): Promise<QueueStatus> => ({
    totals: store.totals(),
    pausedVendors: loop.pausedVendors(),
    online: await deps.connectivity.isOnline(),
    storageProblem: deps.storageProblem(),
  });

  const staffStatus = async (): Promise<StaffStatus> => {
    const status = await pins.status();
    return {
      pinSet: status.state === 'set',
      lockedUntil: status.state === 'set' && status.locked ? status.until : null,
      triesLeft: status.state === 'set' && !status.locked ? status.triesLeft : null,
      signedIn: staff.isSignedIn(),
      idleMs: staff.idleMs,
    };
  };

  const settingsView = (): SettingsView => ({
    settings: settings.current(),
    locked: [...settings.locked],
    problem: settings.problem,
    policyProblem: settings.policyProblem,
  });

  const credentialsView = async (): Promise<CredentialsView> => {
    const status = await readSecretStatus(deps.keychain);
    const dates = deps.credentialDates.read();
    const mode = deps.mode();
    return {
      vendors: {
        kairos: { set: status.vendors.kairos === 'set', changedAt: dates.kairos },
        'biometric-kz': {
          set: status.vendors['biometric-kz'] === 'set',
          changedAt: dates['biometric-kz'],
        },
      },
      training: mode.training,
      trainingForced: mode.forced,
    };
  };

  const noteCredentials = async (
    vendor: VendorId,
    action: 'set' | 'deleted',
  ): Promise<CredentialsView> => {
    deps.credentialDates.record(vendor, new Date(now()));
    for (const field of vendor === 'kairos'
      ? (['appId', 'appKey'] as const)
      : (['apiKey'] as const)) {
      deps.recordAudit('credentials-changed', { vendor, field, action, staff: 'console' });
    }
    await deps.credentialsChanged(vendor);
    return credentialsView();
  };

  return {
    'staff:get-status': staffStatus,
    'staff:set-first-pin': async ({ pin }) => {
      await pins.setPin(pin);
      await staff.signIn(pin);
      return staffStatus();
    },
    'staff:sign-in': async ({ pin }) => {
      const result = await staff.signIn(pin);
      if (result.ok) return { ok: true, status: await staffStatus() };
      return {
        ok: false,
        reason: result.reason,
        triesLeft: result.reason === 'wrong-pin' ? result.triesLeft : null,
        lockedUntil: result.reason === 'locked' ? result.until : null,
      };
    },
    'staff:activity': () => ({ signedIn: staff.touch() }),
    'staff:sign-out': () => {
      staff.signOut();
      return null;
    },

    'queue:get-status': signedIn(queueStatus),
    'queue:list-jobs': signedIn(({ limit }) => store.list(limit).map(summary)),
    'queue:list-page': signedIn(({ list, offset, limit, ticket }) => {
      const page = store.page({
        which: list === 'queue' ? 'pending' : 'finished',
        offset,
        limit,
        ...(ticket === undefined ? {} : { ticketPrefix: ticket }),
      });
      return { total: page.total, jobs: page.jobs.map(summary) };
    }),
    'queue:find-job': signedIn((ref: CommandInput<'queue:find-job'>) => {
      const job = 'id' in ref ? store.get(ref.id) : store.getByTicket(ref.ticket);
      return job === null ? null : summary(job);
    }),
    'queue:retry-job': signedIn(({ id }) => {
      const job = summary(store.retryNow(id));
      loop.wake();
      return job;
    }),
    'queue:discard-job': signedIn(({ id }) => summary(store.discard(id))),
    'queue:resume-vendor': signedIn(async ({ vendor }) => {
      loop.resumeVendor(vendor);
      return queueStatus();
    }),
    'secrets:get-status': signedIn(async () => {
      const status = await readSecretStatus(deps.keychain);
      return { vendors: status.vendors, queueDataKey: status.entries['queue.dataKey'] };
    }),

    'settings:get': signedIn(settingsView),
    'settings:update': signedIn((patch: CommandInput<'settings:update'>) => {
      const before = settings.current();
      let after: KioskSettings;
      try {
        after = settings.update(patch as Partial<KioskSettings>);
      } catch (error) {
        if (!(error instanceof ZodError)) throw error;
        // A value out of range: staff's input, nothing changed.
        const issue = error.issues[0];
        const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
        throw new ConsoleError('bad-input', `${where}${issue?.message ?? 'not a valid value'}`);
      }
      for (const change of settingChanges(before, after)) {
        deps.recordAudit('settings-changed', { ...change, staff: 'console' });
      }
      return settingsView();
    }),

    'credentials:get': signedIn(credentialsView),
    'credentials:set': signedIn(async (input: CommandInput<'credentials:set'>) => {
      const credentials =
        input.vendor === 'kairos'
          ? { vendor: 'kairos' as const, appId: input.appId, appKey: input.appKey }
          : { vendor: 'biometric-kz' as const, apiKey: input.apiKey };
      const unsendable = unsendableCredential(credentials);
      if (unsendable !== undefined) {
        throw new ConsoleError('bad-input', unsendableCredentialMessage(unsendable, input.vendor));
      }
      await writeVendorCredentials(deps.keychain, credentials);
      return noteCredentials(input.vendor, 'set');
    }),
    'credentials:remove': signedIn(async ({ vendor }) => {
      const removed = await deleteVendorCredentials(deps.keychain, vendor);
      if (!removed) return credentialsView();
      return noteCredentials(vendor, 'deleted');
    }),
    'credentials:test': signedIn(({ vendor }) => deps.testConnection(vendor)),

    'audit:verify': signedIn((): AuditVerify => {
      const result = deps.audit.verify();
      return result.ok
        ? {
            ok: true,
            entries: result.entries,
            firstSeq: result.firstSeq,
            lastSeq: result.lastSeq,
            headHash: result.headHash,
          }
        : result;
    }),
    'audit:export': signedIn(({ from, to }) => auditCsvForDays(deps.audit, from, to)),
    'diagnostics:save': signedIn(async () => {
      const archive = await deps.diagnostics();
      return {
        fileName: archive.fileName,
        base64: archive.bytes.toString('base64'),
        bytes: archive.bytes.length,
      };
    }),
    'app:quit': signedIn(() => {
      if (deps.quit === null) {
        throw new ConsoleError(
          'invalid-state',
          'This kiosk runs in a browser: close the browser window, or stop it with Ctrl+C where it was started.',
        );
      }
      staff.signOut();
      setImmediate(deps.quit);
      return null;
    }),
  };
}
