/**
 * One mapping from every typed failure the services raise (vendor, capture, queue and its
 * storage, keychain) to what a person and a program see: the code and message, whether trying
 * again later can work, the CLI's exit code, and the code that crosses the border to the UI.
 * The CLI (main/cli/main.ts) and the IPC dispatch (main/ipc/dispatch.ts) both use it, so a
 * capture error in a guidance frame is a 'bad-input' for the UI and exit 3 for support alike,
 * never "a bug". Anything it does not know is a bug: null.
 */
import type { CommandErrorCode } from '../../preload/border.js';
import { isCaptureError } from '../capture/capture-error.js';
import { isQueueError } from '../queue/queue-errors.js';
import { isStorageError } from '../queue/store/storage-errors.js';
import { isSecretStoreError } from '../secrets/secret-store.js';
import { isSessionError } from '../session/session-error.js';
import { isVendorError } from '../vendors/vendor-error.js';
import { isAuditError } from '../audit/audit-error.js';
import { isConsoleError } from '../staff/console-error.js';
import { SettingsLockedError } from '../settings/settings-store.js';
import { isStaffError } from '../staff/staff-errors.js';
import {
  EXIT_DATA_KEY,
  EXIT_FOR_VENDOR_ERROR,
  EXIT_INPUT,
  EXIT_KEYCHAIN,
  EXIT_QUEUE,
  EXIT_STORAGE,
} from './exit-codes.js';

export interface Failure {
  /** The failing part's own code (e.g. 'network', 'no-face', 'storage', 'keychain-locked'). */
  code: string;
  /** Words a person can act on; never a secret or a vendor body. */
  message: string;
  /** Whether the same request can succeed later without anyone changing anything. */
  retryable: boolean;
  /** kiosk-verify's exit code for it. */
  exitCode: number;
  /** What the UI learns (preload/border.ts). */
  border: CommandErrorCode;
}

/** The typed failure behind `error`, or null when it is not one (a bug). */
export function describeFailure(error: unknown): Failure | null {
  if (isVendorError(error)) {
    return {
      ...error.toJSON(),
      exitCode: EXIT_FOR_VENDOR_ERROR[error.code],
      // The request was fine: the vendor or the link is not (rejected-input: the images are).
      border: error.code === 'rejected-input' ? 'bad-input' : 'unavailable',
    };
  }
  if (isCaptureError(error)) {
    // The detector stopped or the service closed: not the picture's fault, and it passes.
    const service = error.code === 'detector-failed' || error.code === 'service-closed';
    return {
      ...error.toJSON(),
      retryable: service,
      exitCode: EXIT_INPUT,
      border: service ? 'unavailable' : 'bad-input',
    };
  }
  if (isStorageError(error)) {
    return { ...error.toJSON(), exitCode: EXIT_STORAGE, border: 'unavailable' };
  }
  if (isQueueError(error)) {
    const json = error.toJSON();
    switch (error.code) {
      case 'invalid-job':
        return { ...json, exitCode: EXIT_INPUT, border: 'bad-input' };
      case 'not-found':
        return { ...json, exitCode: EXIT_QUEUE, border: 'not-found' };
      case 'invalid-state':
        return { ...json, exitCode: EXIT_QUEUE, border: 'invalid-state' };
      default:
        // A row or image that cannot be read, a newer schema, a store without its key.
        return { ...json, exitCode: EXIT_QUEUE, border: 'unavailable' };
    }
  }
  if (isSecretStoreError(error)) {
    const dataKey = error.code === 'data-key-unavailable';
    return {
      ...error.toJSON(),
      exitCode: dataKey ? EXIT_DATA_KEY : EXIT_KEYCHAIN,
      border: error.code === 'invalid-secret' ? 'bad-input' : 'unavailable',
    };
  }
  if (isConsoleError(error)) {
    return { ...error.toJSON(), exitCode: EXIT_INPUT, border: error.code };
  }
  if (isStaffError(error)) {
    return {
      ...error.toJSON(),
      exitCode: EXIT_INPUT,
      border:
        error.code === 'pin-file-unwritable' || error.code === 'pin-file-unreadable'
          ? 'unavailable'
          : 'bad-input',
    };
  }
  if (error instanceof SettingsLockedError) {
    return {
      code: error.code,
      message: error.message,
      retryable: false,
      exitCode: EXIT_INPUT,
      border: 'setting-locked',
    };
  }
  if (isAuditError(error)) {
    const input = error.code === 'invalid-range';
    return {
      ...error.toJSON(),
      exitCode: input ? EXIT_INPUT : EXIT_STORAGE,
      border: input ? 'bad-input' : 'unavailable',
    };
  }
  if (isSessionError(error)) {
    // The renderer asked out of turn (a frame for an ended session): it starts over.
    return { ...error.toJSON(), exitCode: EXIT_INPUT, border: 'invalid-state' };
  }
  return null;
}
