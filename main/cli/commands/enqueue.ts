/** `kiosk-verify enqueue liveness|match`: prepare the photos, then queue them for delivery. */
import { parseArgs } from 'node:util';
import { ConsentRecordSchema } from '../../queue/job.js';
import type { VerificationRequest } from '../../../model/request.js';
import { usageError } from '../cli-error.js';
import { dataDirOf, openServices, type CliContext } from '../cli-context.js';
import type { CommandResult } from '../command-result.js';
import { summarizeJob } from '../job-listing.js';
import {
  LIVENESS_ARGS,
  MATCH_ARGS,
  livenessApiOf,
  livenessRequest,
  matchRequest,
  withCapture,
} from '../request-from-args.js';

export const ENQUEUE_HELP = `Usage: kiosk-verify enqueue liveness --vendor kairos-v0.1|kairos-v0.2|biometric-kz --selfie FILE
                                  [--threshold 0.6] --consent-version V [common options]
       kiosk-verify enqueue match --selfie FILE --image FILE [--multiface] [--threshold 0.6]
                               --consent-version V [common options]
Common options: [--consent-at ISO-TIME] [--staff-ref REF] [--data-dir DIR]

Prepares the photos exactly as the kiosk does (refusing any without one usable face) and puts
the verification in the queue, encrypted; 'kiosk-verify queue drain' or the kiosk delivers it.
Prints the job with its ticket.
  --consent-version  which consent text the customer accepted (required)
  --consent-at       when they accepted it (default: now)
  --staff-ref        who served the customer, for the staff console`;

const COMMON = {
  'consent-version': { type: 'string' },
  'consent-at': { type: 'string' },
  'staff-ref': { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

export async function runEnqueue(args: string[], context: CliContext): Promise<CommandResult> {
  const [kind, ...rest] = args;
  if (kind !== 'liveness' && kind !== 'match')
    throw usageError('Say what to queue: enqueue liveness or enqueue match.');
  const { values } = parseArgs({
    args: rest,
    options: { ...LIVENESS_ARGS, ...MATCH_ARGS, ...COMMON },
    strict: true,
    allowPositionals: false,
  });
  if (kind === 'liveness') livenessApiOf(values.vendor);
  else if (values.vendor !== undefined)
    throw usageError('enqueue match always uses Kairos biometric: drop --vendor.');
  if (kind === 'liveness' && (values.image !== undefined || values.multiface)) {
    throw usageError('--image and --multiface belong to enqueue match.');
  }
  const consent = ConsentRecordSchema.safeParse({
    acceptedAt: values['consent-at'] ?? new Date().toISOString(),
    textVersion: values['consent-version'],
  });
  if (!consent.success) {
    throw usageError(
      '--consent-version is required, and --consent-at must be an ISO time such as 2026-11-22T09:30:00Z.',
    );
  }
  const dataDir = dataDirOf(values['data-dir'], context.env, { mayCreate: true });
  const request = await withCapture<VerificationRequest>((capture) =>
    kind === 'liveness' ? livenessRequest(values, capture) : matchRequest(values, capture),
  );
  const services = await openServices(context, dataDir);
  try {
    const job = services.store.enqueue({
      request,
      consent: consent.data,
      staffRef: values['staff-ref'] ?? null,
    });
    return { value: summarizeJob(job) };
  } finally {
    await services.close();
  }
}
