/** Where the CLI gets vendor credentials: the environment (support override), else the keychain. */
import type { VendorId } from '../../model/apis.js';
import type { VendorCredentials } from '../../model/request.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { readVendorCredentials } from '../secrets/vendor-credentials.js';
import { isSendableCredential } from '../../model/request.js';
import { usageError } from './cli-error.js';

export const CREDENTIAL_ENV = {
  kairos: ['KAIROS_APP_ID', 'KAIROS_APP_KEY'],
  'biometric-kz': ['BIOMETRIC_KZ_API_KEY'],
} as const satisfies Record<VendorId, readonly string[]>;

/**
 * The vendor's credentials when every variable is set, undefined when none is. Only some of
 * them set (KAIROS_APP_ID without KAIROS_APP_KEY), or a value that could never be sent, is a
 * usage error: silently falling back to the keychain would send other credentials than meant.
 */
export function credentialsFromEnv(
  vendor: VendorId,
  env: NodeJS.ProcessEnv,
): VendorCredentials | undefined {
  const names = CREDENTIAL_ENV[vendor];
  const set = names.filter((name) => (env[name] ?? '') !== '');
  if (set.length === 0) return undefined;
  if (set.length < names.length) {
    const missing = names.filter((name) => !set.includes(name));
    throw usageError(
      `${set.join(' and ')} is set but ${missing.join(' and ')} is not: set both ${names.join(' and ')} ` +
        `to override the keychain, or neither to use the keychain.`,
    );
  }
  const unsendable = names.find((name) => !isSendableCredential(env[name]!));
  if (unsendable !== undefined) {
    throw usageError(
      `${unsendable} contains a character that cannot be sent to the vendor (only visible ASCII ` +
        `is allowed: letters, digits and punctuation; no spaces or accented letters). Check its value.`,
    );
  }
  return vendor === 'kairos'
    ? { vendor, appId: env.KAIROS_APP_ID!, appKey: env.KAIROS_APP_KEY! }
    : { vendor, apiKey: env.BIOMETRIC_KZ_API_KEY! };
}

/** Environment first (it overrides for support sessions), then the keychain. */
export async function resolveCredentials(
  vendor: VendorId,
  env: NodeJS.ProcessEnv,
  keychain: () => SecretStore,
): Promise<VendorCredentials> {
  return credentialsFromEnv(vendor, env) ?? readVendorCredentials(keychain(), vendor);
}
