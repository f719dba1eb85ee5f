/**
 * The error codes the kiosk's parts report, as lists written once: the main process's error
 * classes, the IPC contract and the staff console all derive from these. DOM-safe (no imports).
 */

/** The vendor gateway's taxonomy (main/vendors/vendor-error.ts): every failed call ends in one. */
export const VENDOR_ERROR_CODES = [
  'network',
  'outcome-unknown',
  'server',
  'auth',
  'usage-limit',
  'rejected-input',
  'bad-response',
] as const;
export type VendorErrorCode = (typeof VENDOR_ERROR_CODES)[number];

/** The keychain's (main/secrets/secret-store.ts). */
export const KEYCHAIN_ERROR_CODES = [
  /** No keychain to talk to (no Secret Service, keytar not loadable, no answer in time). */
  'keychain-unavailable',
  /**
   * The keychain answers but is locked: its entries cannot be read or written until someone
   * unlocks it. Never reported as "not set", and never a reason to write a new value.
   */
  'keychain-locked',
  /** A secret the caller needs has not been set. */
  'missing-secret',
  /** A value is present but cannot be right (empty, wrong length); never echoes the value. */
  'invalid-secret',
  /**
   * Queued jobs are sealed with a data key this keychain does not hold (the entry was deleted,
   * another OS account or keychain): nothing is changed until the key is back.
   */
  'data-key-unavailable',
] as const;
export type KeychainErrorCode = (typeof KEYCHAIN_ERROR_CODES)[number];
