/** One exit code per failure class, so support scripts can branch without parsing JSON. */
import type { VendorErrorCode } from '../vendors/errors.js';

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
  10  network: the vendor could not be reached; nothing was sent
  11  outcome-unknown: sent, but no answer came; the vendor may have processed it
  12  server: the vendor had trouble (5xx); try again later
  13  auth: credentials missing or refused, or no subscription
  14  usage-limit: the account's quota is used up (403)
  15  rejected-input: the vendor refused the images (400/413/415/422)
  16  bad-response: the vendor's answer was not the documented JSON`;
