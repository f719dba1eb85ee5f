/**
 * The staff console's commands over a queue fixture (test/queue/), with the real PIN store,
 * staff session, audit trail, settings file and credential dates in the fixture's folder.
 */
import { join } from 'node:path';
import { AuditTrail } from '../../main/audit/audit-trail.js';
import { auditSink } from '../../main/audit/audit-sources.js';
import { createConsoleCommands, type ConsoleHandlers } from '../../main/ipc/console-commands.js';
import { CredentialDates } from '../../main/secrets/credential-dates.js';
import type { SecretStore } from '../../main/secrets/secret-store.js';
import { SettingsStore } from '../../main/settings/settings-store.js';
import { StaffPinStore } from '../../main/staff/staff-pin-store.js';
import { StaffSession } from '../../main/staff/staff-session.js';
import type { DeliverySetup } from '../queue/delivery-setup.js';
import type { QueueFixture } from '../queue/queue-fixtures.js';

export const TEST_PIN = '482913';

export interface ConsoleFixture {
  commands: ConsoleHandlers;
  audit: AuditTrail;
  settings: SettingsStore;
  pins: StaffPinStore;
  staff: StaffSession;
  /** Sets the first PIN and signs in. */
  signIn(): Promise<void>;
  close(): void;
}

export function consoleFixture(
  fx: QueueFixture,
  setup: DeliverySetup,
  options: { keychain?: SecretStore; policyFile?: string } = {},
): ConsoleFixture {
  const audit = AuditTrail.open(fx.dir, { clock: fx.clock });
  const recordAudit = auditSink(audit, (error) => {
    throw error;
  });
  const settings = new SettingsStore(join(fx.dir, 'settings.json'), {
    policyFile: options.policyFile ?? null,
  });
  const pins = new StaffPinStore({
    dataDir: fx.dir,
    clock: fx.clock,
  });
  const staff = new StaffSession({ pins, clock: fx.clock });
  const commands = createConsoleCommands({
    store: setup.store,
    loop: setup.loop,
    connectivity: setup.connectivity,
    settings,
    pins,
    staff,
    audit,
    recordAudit,
    keychain: options.keychain ?? setup.secrets,
    credentialDates: new CredentialDates(fx.dir),
    mode: () => ({ training: false, forced: false }),
    credentialsChanged: (vendor) => {
      setup.loop.credentialsChanged(vendor);
      return Promise.resolve();
    },
    testConnection: () => Promise.reject(new Error('not in these tests')),
    storageProblem: () => null,
    diagnostics: () => Promise.reject(new Error('not in these tests')),
    quit: null,
    now: () => fx.clock.now(),
  });
  return {
    commands,
    audit,
    settings,
    pins,
    staff,
    async signIn() {
      if ((await pins.state()) === 'not-set') await pins.setPin(TEST_PIN);
      const result = await staff.signIn(TEST_PIN);
      if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
    },
    close() {
      staff.close();
      audit.close();
    },
  };
}
