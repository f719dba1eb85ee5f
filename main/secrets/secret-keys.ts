/**
 * The names of everything Kiosk Verify keeps in the OS keychain. One list, so a typo cannot
 * create a secret nobody reads, and the status report can say "set / not set" for each.
 */
import type { VendorId } from '../../model/apis.js';

export const SECRET_KEYS = ['kairos.credentials', 'biometric-kz.apiKey', 'queue.dataKey'] as const;

export type SecretKey = (typeof SECRET_KEYS)[number];

/**
 * The one keychain entry that holds each vendor's credentials. Kairos's app ID and app key
 * share an entry (JSON): they are replaced together, so a half-written pair cannot exist, and
 * a send costs one keychain read, not two (each read is ~1 ms, and on Linux libsecret keeps
 * about 1.3 KiB of every lookup that finds a value: see BENCHMARKS.md).
 */
export const CREDENTIAL_KEY_OF_VENDOR = {
  kairos: 'kairos.credentials',
  'biometric-kz': 'biometric-kz.apiKey',
} as const satisfies Record<VendorId, SecretKey>;

/** The service name every entry is filed under (keytar's "service", macOS's "Where"). */
export const KEYCHAIN_SERVICE = 'kiosk-verify';

export function isSecretKey(value: string): value is SecretKey {
  return (SECRET_KEYS as readonly string[]).includes(value);
}
