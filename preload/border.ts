/**
 * The parts of the contract the preload needs at run time, without zod: the event channel and
 * the typed command error. Kept apart so the sandboxed preload bundle stays a few KB.
 */

/** The largest side of a capture frame the contract accepts (4K); the renderer scales to it. */
export const CAPTURE_FRAME_MAX_SIDE = 4096;

/** The one event channel, main -> renderer. */
export const EVENT_CHANNEL = 'kiosk:event';

/** Why a command failed, for the UI to act on; the message is for staff. */
export const COMMAND_ERROR_CODES = [
  /** The renderer sent something the contract does not allow, or an image that cannot be used. */
  'bad-input',
  /** No such job (or ticket). */
  'not-found',
  /** Not now: e.g. retrying a job that has ended. */
  'invalid-state',
  /**
   * A part the command needs cannot serve it now: the keychain, the queue's storage, the
   * vendor or the network (`retryable` says whether waiting helps).
   */
  'unavailable',
  /** A staff console command while nobody is signed in (idle, or never): sign in again. */
  'signed-out',
  /** A setting the bank's managed policy sets: shown locked, not changeable here. */
  'setting-locked',
  /** A bug: logged in the main process; the message says only that. */
  'internal',
] as const;
export type CommandErrorCode = (typeof COMMAND_ERROR_CODES)[number];

export interface CommandError {
  code: CommandErrorCode;
  message: string;
  /** Whether the same command can succeed later without anyone changing anything. */
  retryable: boolean;
}

/** Thrown in the renderer when a command fails; `code` says what kind of failure. */
export class KioskApiError extends Error {
  override readonly name = 'KioskApiError';
  readonly code: CommandErrorCode;
  readonly retryable: boolean;

  constructor(error: CommandError) {
    super(error.message);
    this.code = error.code;
    this.retryable = error.retryable;
  }
}
