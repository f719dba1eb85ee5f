/** One exit code per failure class, so support scripts can branch without parsing JSON. */
import type { VendorErrorCode } from '../vendors/errors.js';

export const EXIT_OK = 0;
/** A bug: the message says what happened; please report it. */
export const EXIT_INTERNAL = 1;
/** The command line was wrong; --help says how to call it. */
export const EXIT_USAGE = 2;
/** An input file could not be read or is not an image the vendor can take. */
export const EXIT_INPUT = 3;

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
  10  network: the vendor could not be reached; nothing was sent
  11  outcome-unknown: sent, but no answer came; the vendor may have processed it
  12  server: the vendor had trouble (5xx); try again later
  13  auth: credentials missing or refused, or no subscription
  14  usage-limit: the account's quota is used up (403)
  15  rejected-input: the vendor refused the images (400/413/415/422)
  16  bad-response: the vendor's answer was not the documented JSON`;
