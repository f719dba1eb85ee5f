/**
 * The queue's vocabulary, shared with the renderer through the IPC contract: a job's states,
 * why a vendor is paused, and why a job last failed. DOM-safe. What each state means: the
 * queue's README (main/queue/README.md).
 */
import { z } from 'zod';
import { KEYCHAIN_ERROR_CODES, VENDOR_ERROR_CODES } from './error-codes.js';

export const JOB_STATES = ['queued', 'sending', 'retry-wait', 'done', 'failed', 'expired'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const PAUSE_REASONS = [
  /** The vendor refused our credentials: paused until they change. */
  'auth',
  /** The vendor's quota is used up (HTTP 403 usage limit): paused for a cool-down. */
  'usage-limit',
  /** Credentials for the vendor are not in the keychain, or the keychain is unavailable. */
  'credentials-unavailable',
] as const;
export type VendorPauseReason = (typeof PAUSE_REASONS)[number];

/**
 * Why a job last failed (Job.lastError.code): a closed list the staff console can switch on.
 * The vendor's codes, the keychain's (a send that could not read its credentials), and the
 * queue's own.
 */
export const JOB_ERROR_CODES = [
  ...VENDOR_ERROR_CODES,
  ...KEYCHAIN_ERROR_CODES,
  /** Queued because the kiosk was offline at the moment of the verification. */
  'offline',
  /** The vendor's credentials could not be read at send time: the vendor is paused. */
  'credentials-unavailable',
  /** Delivery stopped mid-send (the app quit, the drain was cancelled). */
  'interrupted',
  /** Not delivered within the queue's maximum age. */
  'max-age',
  /** Staff gave up on the job. */
  'discarded',
  /** The job's images could not be decrypted (tampered, damaged, lost with a damaged file). */
  'unreadable-images',
  /** The job's row could not be read back. */
  'unreadable-record',
  /** A failure outside every taxonomy: a bug on our side, retried while someone looks. */
  'unexpected',
] as const;
export type JobErrorCode = (typeof JOB_ERROR_CODES)[number];

/** How the queue's storage failed (main/queue/store/storage-errors.ts). */
export const STORAGE_PROBLEMS = [
  /** No room left: the disk is full, or the queue reached its size limit. */
  'full',
  /** The folder or the file cannot be written (permissions, a read-only mount). */
  'read-only',
  /** The database file is damaged or not a database (corrupt page, truncated, overwritten). */
  'damaged',
  /** The disk did not read or write (I/O error, a removed drive). */
  'io',
] as const;
export type StorageProblem = (typeof STORAGE_PROBLEMS)[number];

export function isJobErrorCode(value: string): value is JobErrorCode {
  return (JOB_ERROR_CODES as readonly string[]).includes(value);
}

/**
 * The pictures' quality reports as a job keeps them (main/capture's measures): by picture role
 * (selfie, id-photo), each measure's number, or null when it could not be measured. Numbers
 * only, never pixels; bounded so a report cannot grow into a document.
 */
export const QualityReportsSchema = z
  .record(
    z.string().regex(/^[a-z][a-z-]{0,31}$/),
    z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/), z.number().finite().nullable()),
  )
  .refine((reports) => Object.keys(reports).length <= 4, 'at most four pictures')
  .refine(
    (reports) => Object.values(reports).every((measures) => Object.keys(measures).length <= 40),
    'at most 40 measures a picture',
  );
export type QualityReports = z.infer<typeof QualityReportsSchema>;
