/**
 * The names of everything Kiosk Verify keeps in the OS keychain. One list, so a typo cannot
 * create a secret nobody reads, and the status report can say "set / not set" for each.
 */
import type { VendorId } from '../vendors/apis.js';

export const SECRET_KEYS = [
  'kairos.appId',
  'kairos.appKey',
  'biometric-kz.apiKey',
  'queue.dataKey',
] as const;

export type SecretKey = (typeof SECRET_KEYS)[number];

/** The keychain entries that together make one vendor's credentials. */
export const CREDENTIAL_KEYS_OF_VENDOR = {
  kairos: ['kairos.appId', 'kairos.appKey'],
  'biometric-kz': ['biometric-kz.apiKey'],
} as const satisfies Record<VendorId, readonly SecretKey[]>;

/** The service name every entry is filed under (keytar's "service", macOS's "Where"). */
export const KEYCHAIN_SERVICE = 'kiosk-verify';

export function isSecretKey(value: string): value is SecretKey {
  return (SECRET_KEYS as readonly string[]).includes(value);
}
