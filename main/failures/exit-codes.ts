/**
 * kiosk-verify's exit codes: one per failure class, so support scripts can branch without
 * parsing JSON. Which failure gets which: describe-failure.ts.
 */
import type { VendorErrorCode } from '../vendors/vendor-error.js';

export const EXIT_OK = 0;
/** A bug: the message says what happened; please report it. */
export const EXIT_INTERNAL = 1;
/** The command line was wrong; --help says how to call it. */
export const EXIT_USAGE = 2;
/** An input file could not be read or is not an image the vendor can take. */
export const EXIT_INPUT = 3;
/** The queue refused: no such job, or the job is in a state that does not allow it. */
export const EXIT_QUEUE = 4;
/** The keychain is unavailable, or a secret the command needs is not set. */
export const EXIT_KEYCHAIN = 5;
/** `queue drain` finished with jobs still waiting (a paused vendor, or cancelled). */
export const EXIT_PENDING = 6;
/** `queue drain` finished, but some jobs ended failed or expired during it. */
export const EXIT_DRAIN_FAILED = 7;
/**
 * The queue's storage failed: the disk is full, the data folder is read-only, or the database
 * is damaged. Delivery stops so nothing is sent twice; the message names the file and the fix.
 */
export const EXIT_STORAGE = 8;
/** The queue's data key is not in this keychain while queued jobs need it (nothing was changed). */
export const EXIT_DATA_KEY = 9;
/** --data-dir names a folder that holds no queue (a typo must not show an empty queue). */
export const EXIT_NO_QUEUE = 20;
/** A network port the command must listen on is already in use. */
export const EXIT_PORT_IN_USE = 21;
/** An output file cannot be written (missing folder, would overwrite the input, a symlink). */
export const EXIT_OUTPUT = 22;

export const EXIT_FOR_VENDOR_ERROR: Record<VendorErrorCode, number> = {
  network: 10,
  'outcome-unknown': 11,
  server: 12,
  auth: 13,
  'usage-limit': 14,
  'rejected-input': 15,
  'bad-response': 16,
};

export const EXIT_CODES_HELP = `Exit codes:
  0   success (the result is on stdout)
  1   internal error (a bug; please report it)
  2   usage error (see --help)
  3   input file unreadable or not a usable image
  4   queue: no such job, or not allowed in the job's state
  5   keychain unavailable, or a needed secret is not set
  6   queue drain ended with jobs still waiting (paused vendor or cancelled)
  7   queue drain ended with some jobs failed or expired (see queue list)
  8   storage: the queue's database cannot be written or read (disk full, read-only
      folder, damaged file); delivery stopped, nothing is sent twice
  9   the queue's data key is not in this keychain while jobs need it; nothing changed
  10  network: the vendor could not be reached; nothing was sent
  11  outcome-unknown: sent, but no answer came; the vendor may have processed it
  12  server: the vendor had trouble (5xx); try again later
  13  auth: credentials missing or refused, or no subscription
  14  usage-limit: the account's quota is used up (403)
  15  rejected-input: the vendor refused the images (400/413/415/422)
  16  bad-response: the vendor's answer was not the documented JSON
  20  --data-dir names a folder with no queue in it
  21  the port to listen on is already in use
  22  the output file cannot be written (missing folder, the input itself, a symlink)`;
