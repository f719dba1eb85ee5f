/** Where the CLI gets vendor credentials: the environment (support override), else the keychain. */
import type { VendorId } from '../vendors/apis.js';
import type { VendorCredentials } from '../vendors/request.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { readVendorCredentials } from '../secrets/vendor-credentials.js';

export const CREDENTIAL_ENV = {
  kairos: ['KAIROS_APP_ID', 'KAIROS_APP_KEY'],
  'biometric-kz': ['BIOMETRIC_KZ_API_KEY'],
} as const satisfies Record<VendorId, readonly string[]>;

/** The vendor's credentials when every variable is set, otherwise undefined. */
export function credentialsFromEnv(
  vendor: VendorId,
  env: NodeJS.ProcessEnv,
): VendorCredentials | undefined {
  if (vendor === 'kairos') {
    const appId = env.KAIROS_APP_ID;
    const appKey = env.KAIROS_APP_KEY;
    return appId && appKey ? { vendor, appId, appKey } : undefined;
  }
  const apiKey = env.BIOMETRIC_KZ_API_KEY;
  return apiKey ? { vendor, apiKey } : undefined;
}

/** Environment first (it overrides for support sessions), then the keychain. */
export async function resolveCredentials(
  vendor: VendorId,
  env: NodeJS.ProcessEnv,
  keychain: () => SecretStore,
): Promise<VendorCredentials> {
  return credentialsFromEnv(vendor, env) ?? readVendorCredentials(keychain(), vendor);
}
