/** `kiosk-verify liveness` and `kiosk-verify match`: one verification, sent now. */
import { parseArgs } from 'node:util';
import { VENDOR_OF_API } from '../../../model/apis.js';
import { VendorGateway } from '../../vendors/gateway.js';
import { DEFAULT_THRESHOLD, type VerificationRequest } from '../../../model/request.js';
import type { CliContext } from '../cli-context.js';
import type { CommandResult } from '../command-result.js';
import { resolveCredentials } from '../env-credentials.js';
import { parseBaseUrl } from '../options.js';
import {
  LIVENESS_ARGS,
  MATCH_ARGS,
  livenessApiOf,
  livenessRequest,
  matchRequest,
  withCapture,
} from '../request-from-args.js';

export const LIVENESS_HELP = `Usage: kiosk-verify liveness --vendor kairos-v0.1|kairos-v0.2|biometric-kz --selfie FILE
                            [--threshold 0.6] [--base-url URL]

Checks that the face in FILE is a live person. The photo is first checked and prepared on\nthis machine (one usable face, the vendor's size rules); prints the result as JSON.
  --vendor     which API: kairos-v0.1, kairos-v0.2 or biometric-kz
  --selfie     a JPEG or PNG photo of the customer's face
  --threshold  0..1, live when the score is at least this (Kairos; default ${DEFAULT_THRESHOLD})
  --base-url   the vendor's address (default: the vendor's documented host)
Credentials: the keychain (kiosk-verify secrets set); KAIROS_APP_ID and KAIROS_APP_KEY, or\nBIOMETRIC_KZ_API_KEY, override it for a support session.`;

export const MATCH_HELP = `Usage: kiosk-verify match --selfie FILE --image FILE [--multiface] [--threshold 0.6]
                         [--base-url URL]

Compares the selfie with the ID document's photo (Kairos biometric verification) and checks
the selfie's liveness. Prints the normalized result as JSON.
  --selfie     the customer's photo (JPEG or PNG, at least 480x480)
  --image      the ID document's photo page (JPEG or PNG, at least 480x480)
  --multiface  consider every face in the ID image
  --threshold  0..1, the selfie counts as live at this score or above (default ${DEFAULT_THRESHOLD})
  --base-url   Kairos's address (default: the documented host)
Credentials: the keychain (kiosk-verify secrets set); KAIROS_APP_ID and KAIROS_APP_KEY\noverride it for a support session.`;

async function sendOnce(
  request: VerificationRequest,
  baseUrl: string | undefined,
  context: CliContext,
): Promise<CommandResult> {
  const vendor = VENDOR_OF_API[request.api];
  const credentials = await resolveCredentials(vendor, context.env, context.keychain);
  const gateway = new VendorGateway(
    baseUrl === undefined ? {} : { baseUrls: { [vendor]: baseUrl } },
  );
  try {
    return { value: await gateway.send(request, { credentials, signal: context.stop }) };
  } finally {
    await gateway.close();
  }
}

export async function runLiveness(args: string[], context: CliContext): Promise<CommandResult> {
  const { values } = parseArgs({
    args,
    options: { ...LIVENESS_ARGS, 'base-url': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  livenessApiOf(values.vendor);
  const baseUrl = parseBaseUrl(values['base-url']);
  const request = await withCapture((capture) => livenessRequest(values, capture));
  return sendOnce(request, baseUrl, context);
}

export async function runMatch(args: string[], context: CliContext): Promise<CommandResult> {
  const { values } = parseArgs({
    args,
    options: { ...MATCH_ARGS, 'base-url': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const baseUrl = parseBaseUrl(values['base-url']);
  const request = await withCapture((capture) => matchRequest(values, capture));
  return sendOnce(request, baseUrl, context);
}
