/** `kiosk-verify prepare`: run a file through the capture pipeline and report what it made. */
import { constants } from 'node:fs';
import { lstat, open, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { API_BY_SHORT_NAME, isApiShortName } from '../../../model/apis.js';
import { VENDOR_PROFILES } from '../../../model/profiles.js';
import { captureSummary } from '../../capture/prepare-capture.js';
import type { CaptureRole } from '../../capture/types.js';
import { outputFileError } from '../output-file-error.js';
import { CliError, usageError } from '../cli-error.js';
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
  --out     also write the prepared JPEG here (readable only by you; never the input
            itself, never through a symbolic link)`;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function outputError(out: string, error: unknown): CliError {
  return outputFileError(out, error, { what: 'the prepared photo', exampleName: 'prepared.jpg' });
}

/**
 * Refuses, before the slow preparation, an --out that names a missing folder, a symbolic link
 * or the input itself (by any name: a hard link or a symlinked input is the same file).
 */
async function checkOutput(out: string, input: string): Promise<void> {
  const folder = await stat(dirname(resolve(out))).catch((error: unknown) => {
    throw outputError(out, error);
  });
  if (!folder.isDirectory()) throw outputError(out, { code: 'ENOTDIR' });
  const existing = await lstat(out).catch((error: unknown) => {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw outputError(out, error);
  });
  if (existing === undefined) return;
  if (existing.isSymbolicLink()) throw outputError(out, { code: 'ELOOP' });
  // An input that cannot be read is the preparation's to report, with its own code.
  const source = await stat(input).catch(() => undefined);
  if (source !== undefined && existing.dev === source.dev && existing.ino === source.ino) {
    throw new CliError(
      'output',
      `--out ${out} is the input file itself; choose another file so the original photo stays as it was.`,
    );
  }
}

/**
 * Writes the prepared photo (a customer's face) for its owner only (0600, also when the file
 * existed). O_NOFOLLOW refuses a symbolic link put there since checkOutput looked (ELOOP).
 */
async function writeOutput(out: string, bytes: Uint8Array): Promise<void> {
  const flags =
    constants.O_CREAT | constants.O_WRONLY | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);
  const file = await open(out, flags, 0o600).catch((error: unknown) => {
    throw outputError(out, error);
  });
  try {
    // The mode given to open only applies to a new file; an existing one keeps its own.
    await file.chmod(0o600);
    await file.writeFile(bytes);
  } catch (error) {
    throw outputError(out, error);
  } finally {
    await file.close();
  }
}

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
  if (values.out !== undefined) await checkOutput(values.out, file);
  const prepared = await withCapture((capture) =>
    capture.prepareFile(file, VENDOR_PROFILES[API_BY_SHORT_NAME[vendor]], role),
  );
  if (values.out !== undefined) await writeOutput(values.out, prepared.bytes);
  return {
    value: {
      ...captureSummary(prepared),
      ...(values.out === undefined ? {} : { out: values.out }),
    },
  };
}
