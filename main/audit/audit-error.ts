/** What the audit trail refuses or cannot do, with a message a person can act on. */
export const AUDIT_ERROR_CODES = [
  /** The entry's type is not one of AUDIT_TYPES. */
  'unknown-type',
  /** The details are not the type's fields (an unknown field, a secret-looking value, ...). */
  'invalid-details',
  /** The trail's file cannot be opened, written or read (disk full, read-only, damaged). */
  'storage',
  /** There is no audit trail in the folder named (and the caller asked not to create one). */
  'no-trail',
  /** The file was written by a newer version of the kiosk. */
  'newer-format',
  /** A date range (export, purge) that cannot be used: not a date, or in the future. */
  'invalid-range',
  /** A purge was refused because the chain does not verify: nothing was deleted. */
  'chain-broken',
  /** The trail was closed. */
  'closed',
] as const;
export type AuditErrorCode = (typeof AUDIT_ERROR_CODES)[number];

export class AuditError extends Error {
  override readonly name = 'AuditError';
  constructor(
    readonly code: AuditErrorCode,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }

  toJSON(): { code: AuditErrorCode; message: string; retryable: boolean } {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

export function isAuditError(error: unknown): error is AuditError {
  return error instanceof AuditError;
}
