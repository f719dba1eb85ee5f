/** `kiosk-verify prepare`: run a file through the capture pipeline and report what it made. */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { API_BY_SHORT_NAME, isApiShortName } from '../../vendors/apis.js';
import { VENDOR_PROFILES } from '../../vendors/profiles.js';
import { captureSummary } from '../../capture/prepare-capture.js';
import type { CaptureRole } from '../../capture/types.js';
import { usageError } from '../cli-error.js';
import type { CliContext } from '../cli-context.js';
import type { CommandResult } from '../command-result.js';
import { withCapture } from '../request-from-args.js';

export const PREPARE_HELP = `Usage: kiosk-verify prepare FILE --vendor kairos-v0.1|kairos-v0.2|kairos-biometric|biometric-kz
                           [--role selfie|id-photo] [--out OUT.jpg]

Checks a JPEG or PNG as the kiosk would before sending it (a hardened decode, exactly one
usable face, sharp and well lit, the vendor's size rules) and makes the JPEG the vendor would
get: upright, sRGB, metadata stripped, scaled to the vendor's target. Prints the quality
report and the output's size as JSON.
  --vendor  whose rules to apply
  --role    selfie (default) or id-photo (the ID document's photo page; kairos-biometric only)
  --out     also write the prepared JPEG here`;

export async function runPrepare(args: string[], _context: CliContext): Promise<CommandResult> {
  const { values, positionals } = parseArgs({
    args,
    options: { vendor: { type: 'string' }, role: { type: 'string' }, out: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw usageError('Name one image file to prepare.');
  const vendor = values.vendor;
  if (vendor === undefined || !isApiShortName(vendor)) {
    throw usageError(
      '--vendor must be kairos-v0.1, kairos-v0.2, kairos-biometric or biometric-kz.',
    );
  }
  const role = (values.role ?? 'selfie') as CaptureRole;
  if (role !== 'selfie' && role !== 'id-photo')
    throw usageError('--role must be selfie or id-photo.');
  const prepared = await withCapture((capture) =>
    capture.prepareFile(file, VENDOR_PROFILES[API_BY_SHORT_NAME[vendor]], role),
  );
  if (values.out !== undefined) await writeFile(values.out, prepared.bytes);
  return {
    value: {
      ...captureSummary(prepared),
      ...(values.out === undefined ? {} : { out: values.out }),
    },
  };
}
