/** A vendor's credentials as the gateway wants them, assembled from the keychain at send time. */
import { VENDOR_DISPLAY_NAME, type VendorId } from '../vendors/apis.js';
import type { CredentialsFor, VendorCredentials } from '../vendors/request.js';
import { CREDENTIAL_KEYS_OF_VENDOR, type SecretKey } from './secret-keys.js';
import { SecretStoreError, type SecretStore } from './secret-store.js';

/** Reads one vendor's credentials; a missing entry is a 'missing-secret' error naming it. */
export async function readVendorCredentials<V extends VendorId>(
  store: SecretStore,
  vendor: V,
): Promise<CredentialsFor<V>>;
export async function readVendorCredentials(
  store: SecretStore,
  vendor: VendorId,
): Promise<VendorCredentials> {
  const keys: readonly SecretKey[] = CREDENTIAL_KEYS_OF_VENDOR[vendor];
  const values = await Promise.all(keys.map((key) => store.get(key)));
  const missing = keys.filter((_, index) => values[index] === null);
  if (missing.length > 0) {
    throw new SecretStoreError(
      'missing-secret',
      `${VENDOR_DISPLAY_NAME[vendor]} credentials are not set (missing ${missing.join(', ')}). ` +
        `Set them with "kiosk-verify secrets set ${vendor}".`,
    );
  }
  const [first = '', second = ''] = values as string[];
  return vendor === 'kairos'
    ? { vendor: 'kairos', appId: first, appKey: second }
    : { vendor: 'biometric-kz', apiKey: first };
}

/** Stores a vendor's credentials, replacing what was there. */
export async function writeVendorCredentials(
  store: SecretStore,
  credentials: VendorCredentials,
): Promise<void> {
  if (credentials.vendor === 'kairos') {
    await store.set('kairos.appId', credentials.appId);
    await store.set('kairos.appKey', credentials.appKey);
  } else {
    await store.set('biometric-kz.apiKey', credentials.apiKey);
  }
}

/** Removes a vendor's credentials; true when anything was removed. */
export async function deleteVendorCredentials(
  store: SecretStore,
  vendor: VendorId,
): Promise<boolean> {
  let removed = false;
  for (const key of CREDENTIAL_KEYS_OF_VENDOR[vendor]) {
    removed = (await store.delete(key)) || removed;
  }
  return removed;
}
