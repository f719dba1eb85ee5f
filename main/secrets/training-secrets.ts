/**
 * The keychain as training mode sees it: the vendors' credentials are the embedded emulator's
 * fixed training credentials (not secrets), everything else (the queue's data key) is the real
 * keychain's. Writes go to the real keychain, so staff who set real credentials end training.
 */
import { CREDENTIAL_KEY_OF_VENDOR, type SecretKey } from './secret-keys.js';
import type { SecretStore } from './secret-store.js';
import { kairosEntryValue } from './vendor-credentials.js';

export interface TrainingCredentials {
  kairos: { appId: string; appKey: string };
  biometricKz: { apiKey: string };
}

export function trainingSecretStore(real: SecretStore, training: TrainingCredentials): SecretStore {
  const values: Partial<Record<SecretKey, string>> = {
    [CREDENTIAL_KEY_OF_VENDOR.kairos]: kairosEntryValue(training.kairos),
    [CREDENTIAL_KEY_OF_VENDOR['biometric-kz']]: training.biometricKz.apiKey,
  };
  return {
    get: async (key) => values[key] ?? real.get(key),
    has: async (key) => values[key] !== undefined || real.has(key),
    set: (key, value) => real.set(key, value),
    delete: (key) => real.delete(key),
  };
}
