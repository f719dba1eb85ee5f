/**
 * The gateway's error taxonomy: every vendor call that fails ends in exactly one of these.
 * The queue decides what to do from `code` and `retryable`; staff read `message`.
 * Nothing here ever carries a credential: messages are written by us, never echo headers.
 */

import type { VendorErrorCode } from '../../model/error-codes.js';

export { VENDOR_ERROR_CODES, type VendorErrorCode } from '../../model/error-codes.js';

/** Whether resending the same request later can succeed without anyone changing anything. */
const RETRYABLE: Record<VendorErrorCode, boolean> = {
  network: true,
  'outcome-unknown': true,
  server: true,
  // Resending with the same credentials cannot succeed; the queue pauses the vendor instead.
  auth: false,
  // The quota resets on the vendor's schedule; the queue pauses the vendor for a cool-down.
  'usage-limit': false,
  'rejected-input': false,
  'bad-response': true,
};

export interface VendorErrorDetails {
  /** HTTP status when the vendor (or a proxy in front of it) answered. */
  status?: number;
  /** The vendor's own reason, from its body (never from our request). */
  vendorReason?: string;
  /** The vendor's request id, when the failed answer carried one. */
  requestId?: string;
  cause?: unknown;
}

export class VendorError extends Error {
  override readonly name = 'VendorError';
  readonly code: VendorErrorCode;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly vendorReason: string | undefined;
  readonly requestId: string | undefined;

  constructor(code: VendorErrorCode, message: string, details: VendorErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.retryable = RETRYABLE[code];
    this.status = details.status;
    this.vendorReason = details.vendorReason;
    this.requestId = details.requestId;
  }

  /** The shape printed by the CLI and sent over IPC: no stack, no cause. */
  toJSON(): {
    code: VendorErrorCode;
    message: string;
    retryable: boolean;
    status?: number;
    vendorReason?: string;
  } {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.vendorReason === undefined ? {} : { vendorReason: this.vendorReason }),
    };
  }
}

export function isVendorError(value: unknown): value is VendorError {
  return value instanceof VendorError;
}
