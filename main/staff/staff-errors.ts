/**
 * The staff console's errors: a code, and a message staff (or IT) can act on. Never the PIN,
 * part of it, or its hash.
 */
export const STAFF_ERROR_CODES = [
  /** Not 6 to 12 digits (letters, spaces, too short or too long). */
  'invalid-pin',
  /** 6 to 12 digits, but one anyone would guess first (111111, 123456, 121212). */
  'weak-pin',
  /** The new PIN is the old one. */
  'same-pin',
  /** No PIN yet: staff set one first (the console's first start). */
  'pin-not-set',
  /** A PIN is set: change it with the old one, or IT resets it (kiosk-verify staff set-pin). */
  'pin-already-set',
  /** staff-pin.json is there but cannot be read or is not ours: IT resets the PIN. */
  'pin-file-unreadable',
  /** staff-pin.json cannot be written (disk full, read-only folder): nothing changed. */
  'pin-file-unwritable',
] as const;
export type StaffErrorCode = (typeof STAFF_ERROR_CODES)[number];

export class StaffError extends Error {
  override readonly name = 'StaffError';
  /** Trying again unchanged can only help when the disk was the trouble. */
  readonly retryable: boolean;

  constructor(
    readonly code: StaffErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = code === 'pin-file-unwritable';
  }

  toJSON(): { code: StaffErrorCode; message: string; retryable: boolean } {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

export function isStaffError(value: unknown): value is StaffError {
  return value instanceof StaffError;
}
