/** Credentials from the environment: the support override (the keychain is the normal source). */
import type { VendorId } from '../vendors/apis.js';
import type { VendorCredentials } from '../vendors/request.js';

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
