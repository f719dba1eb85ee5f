/** What the UI and "secrets status" may learn about the keychain: set or not set, never values. */
import type { SecretPresence } from '../../model/request.js';
import type { VendorId } from '../../model/apis.js';
import { CREDENTIAL_KEY_OF_VENDOR, SECRET_KEYS, type SecretKey } from './secret-keys.js';
import type { SecretStore } from './secret-store.js';

export type { SecretPresence };

export interface SecretStatus {
  entries: Record<SecretKey, SecretPresence>;
  /** A vendor is usable when its credentials entry is set. */
  vendors: Record<VendorId, SecretPresence>;
}

export async function readSecretStatus(store: SecretStore): Promise<SecretStatus> {
  const present = await Promise.all(SECRET_KEYS.map((key) => store.has(key)));
  const entries = Object.fromEntries(
    SECRET_KEYS.map((key, index) => [key, present[index] ? 'set' : 'not-set']),
  ) as Record<SecretKey, SecretPresence>;
  const vendorPresence = (vendor: VendorId): SecretPresence =>
    entries[CREDENTIAL_KEY_OF_VENDOR[vendor]];
  return {
    entries,
    vendors: { kairos: vendorPresence('kairos'), 'biometric-kz': vendorPresence('biometric-kz') },
  };
}
