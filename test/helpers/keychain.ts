/**
 * The tests of keychain-backed code run against the real OS keychain (on Linux: gnome-keyring in
 * the private D-Bus session that scripts/with-keychain.sh starts). When none is reachable they
 * fail with a message saying how to run them, rather than skip and pass.
 */
import { randomUUID } from 'node:crypto';
import { KeytarSecretStore } from '../../main/secrets/keytar-secret-store.js';
import { SECRET_KEYS } from '../../main/secrets/secret-keys.js';
import type { SecretStore } from '../../main/secrets/secret-store.js';
import { writeVendorCredentials } from '../../main/secrets/vendor-credentials.js';
import { TRAINING_CREDENTIALS } from '../../main/emulator/index.js';

export const KEYCHAIN_RUN_HINT =
  'Run the keychain tests through the private keyring: ' +
  '"bash scripts/with-keychain.sh npx vitest run test/secrets test/queue" ' +
  '(Linux needs: apt-get install dbus gnome-keyring libsecret-1-0).';

/** Throws, with the reason and how to fix it, unless a write/read/delete round trip works. */
export async function requireRealKeychain(): Promise<void> {
  if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) {
    throw new Error(
      `No D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset). ${KEYCHAIN_RUN_HINT}`,
    );
  }
  const store = new KeytarSecretStore({
    service: `kiosk-verify-probe-${randomUUID()}`,
    timeoutMs: 5_000,
  });
  try {
    await store.set('queue.dataKey', 'probe');
    const readBack = await store.get('queue.dataKey');
    await store.delete('queue.dataKey');
    if (readBack !== 'probe') throw new Error('the keychain did not return what was written');
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`No usable OS keychain: ${cause}\n${KEYCHAIN_RUN_HINT}`, { cause: error });
  }
}

/** A keychain store under a service of its own, and a cleanup that removes all its entries. */
export function isolatedKeychainStore(): {
  store: KeytarSecretStore;
  service: string;
  cleanup: () => Promise<void>;
} {
  const service = `kiosk-verify-test-${randomUUID()}`;
  const store = new KeytarSecretStore({ service, timeoutMs: 5_000 });
  return {
    store,
    service,
    cleanup: async () => {
      for (const key of SECRET_KEYS) await store.delete(key);
    },
  };
}

/** Stores the emulator's training credentials for both vendors (what a kiosk in training has). */
export async function writeTrainingCredentials(store: SecretStore): Promise<void> {
  await writeVendorCredentials(store, { vendor: 'kairos', ...TRAINING_CREDENTIALS.kairos });
  await writeVendorCredentials(store, {
    vendor: 'biometric-kz',
    ...TRAINING_CREDENTIALS.biometricKz,
  });
}
