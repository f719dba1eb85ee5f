/**
 * The seam between Kiosk Verify and the OS keychain. The app uses KeytarSecretStore; tests of
 * other parts use MemorySecretStore. Values are only ever returned to the code that sends them
 * to a vendor or decrypts the queue: never to the renderer, a log line, an error or a job.
 */
import type { KeychainErrorCode } from '../../model/error-codes.js';
import type { SecretKey } from './secret-keys.js';

export interface SecretStore {
  /** The stored value, or null when the entry does not exist. */
  get(key: SecretKey): Promise<string | null>;
  /** Creates or replaces the entry. Rejects empty values. */
  set(key: SecretKey, value: string): Promise<void>;
  /** True when an entry was removed, false when there was none. */
  delete(key: SecretKey): Promise<boolean>;
  has(key: SecretKey): Promise<boolean>;
}

/** What each means: model/errors.ts. */
export type SecretStoreErrorCode = KeychainErrorCode;

/** A keychain problem a person can act on. Messages name keys and fixes, never values. */
export class SecretStoreError extends Error {
  override readonly name = 'SecretStoreError';
  readonly code: SecretStoreErrorCode;
  /** Worth trying again later without anyone changing anything (a locked or busy keychain). */
  readonly retryable: boolean;

  constructor(code: SecretStoreErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = code === 'keychain-unavailable' || code === 'keychain-locked';
  }

  toJSON(): { code: SecretStoreErrorCode; message: string; retryable: boolean } {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

export function isSecretStoreError(value: unknown): value is SecretStoreError {
  return value instanceof SecretStoreError;
}

/** Shared by both stores so the in-memory twin refuses what the keychain would. */
export function assertStorableSecret(key: SecretKey, value: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new SecretStoreError('invalid-secret', `Refusing to store an empty value for ${key}.`);
  }
}
