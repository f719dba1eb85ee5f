/** Where the CLI gets vendor credentials: the environment (support override), else the keychain. */
import { VENDOR_IDS, type VendorId } from '../../model/apis.js';
import type { VendorCredentials } from '../../model/request.js';
import { CREDENTIAL_KEY_OF_VENDOR, type SecretKey } from '../secrets/secret-keys.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { kairosEntryValue, readVendorCredentials } from '../secrets/vendor-credentials.js';
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

/**
 * The keychain with the environment's vendor credentials laid over it, for the services a CLI
 * process opens (`queue drain`): the delivery loop reads credentials from a SecretStore at send
 * time, and this one answers with the environment's where it has them, as `liveness` and
 * `match` do through resolveCredentials. Every other entry (the queue's data key) and every
 * write go to the keychain. The environment is checked here, before anything is opened, so a
 * half-set pair is a usage error at once rather than a paused vendor later.
 */
export function keychainWithEnvCredentials(
  env: NodeJS.ProcessEnv,
  keychain: () => SecretStore,
): SecretStore {
  const overrides = new Map<SecretKey, string>();
  for (const vendor of VENDOR_IDS) {
    const credentials = credentialsFromEnv(vendor, env);
    if (credentials === undefined) continue;
    overrides.set(
      CREDENTIAL_KEY_OF_VENDOR[vendor],
      credentials.vendor === 'kairos' ? kairosEntryValue(credentials) : credentials.apiKey,
    );
  }
  return {
    get: async (key) => overrides.get(key) ?? keychain().get(key),
    set: (key, value) => keychain().set(key, value),
    delete: (key) => keychain().delete(key),
    has: async (key) => overrides.has(key) || keychain().has(key),
  };
}
