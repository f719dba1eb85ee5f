/**
 * Every capture or preparation that fails ends in exactly one CaptureError. Same shape as
 * VendorError (code, message, retryable, toJSON) so the CLI, IPC and the queue print both alike.
 * Messages are written for the person at the kiosk or the staff member holding the file.
 */
import type { GuidanceProblem, QualityReport } from './types.js';

export const FILE_ERROR_CODES = [
  'file-unreadable',
  'empty-file',
  'file-too-large',
  'truncated',
  'not-an-image',
  'unsupported-format',
  'too-many-pixels',
  'corrupt-image',
  'decode-timeout',
] as const;

export const SIZE_ERROR_CODES = ['below-minimum', 'bad-aspect-ratio', 'role-not-accepted'] as const;

/** The service itself: a frame it cannot read, or a detector that is not there. */
export const SERVICE_ERROR_CODES = ['bad-frame', 'detector-failed', 'service-closed'] as const;

/** Gate settings the service refused (CaptureService's `gates` option or setGates). */
export const GATE_ERROR_CODES = ['invalid-gates'] as const;

export type CaptureErrorCode =
  | (typeof FILE_ERROR_CODES)[number]
  | (typeof SIZE_ERROR_CODES)[number]
  | (typeof SERVICE_ERROR_CODES)[number]
  | (typeof GATE_ERROR_CODES)[number]
  // A final capture that fails a quality gate carries the gate's verdict as its code.
  | GuidanceProblem;

export interface CaptureErrorDetails {
  cause?: unknown;
  /** The quality report of a capture that failed a gate, so the UI can show the boxes. */
  report?: QualityReport;
}

export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  readonly code: CaptureErrorCode;
  /**
   * Always false: the same file or the same frame fails the same way again. Someone has to act
   * (move, re-scan, pick another file), which is what `message` says.
   */
  readonly retryable = false;
  readonly report: QualityReport | undefined;

  constructor(code: CaptureErrorCode, message: string, details: CaptureErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.report = details.report;
  }

  /** The shape printed by the CLI and sent over IPC: no stack, no cause. */
  toJSON(): { code: CaptureErrorCode; message: string; retryable: boolean } {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

export function isCaptureError(value: unknown): value is CaptureError {
  return value instanceof CaptureError;
}
