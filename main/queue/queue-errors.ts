/** Errors from the queue itself (not from a vendor): a code, a retryable flag, a clear message. */

export type QueueErrorCode =
  /** A job's images cannot be decrypted: tampered, truncated, or under another data key. */
  | 'unreadable-images'
  /** A stored job row does not match its schema (damaged file, or a newer app's format). */
  | 'unreadable-record'
  /** What a caller asked to enqueue is not a valid verification. */
  | 'invalid-job'
  | 'not-found'
  /** The job is not in a state that allows the operation (e.g. retrying a done job). */
  | 'invalid-state'
  /** The database was written by a newer version of the app. */
  | 'newer-schema'
  /** The queue's file cannot be written or read: disk full, read-only, damaged (StorageError). */
  | 'storage'
  /** The store was opened without the data key, for a command that does not decrypt. */
  | 'no-data-key';

export class QueueError extends Error {
  override readonly name = 'QueueError';
  readonly code: QueueErrorCode;
  readonly retryable = false;

  constructor(code: QueueErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  toJSON(): { code: QueueErrorCode; message: string; retryable: boolean } {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

export function isQueueError(value: unknown): value is QueueError {
  return value instanceof QueueError;
}
