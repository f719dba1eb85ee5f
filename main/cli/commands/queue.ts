/** `kiosk-verify queue list|show|drain|retry|discard|purge`: the offline queue, for support. */
import { parseArgs } from 'node:util';
import type { Job } from '../../queue/job.js';
import type { JobStore } from '../../queue/store/job-store.js';
import { QueueError } from '../../queue/queue-errors.js';
import { usageError } from '../cli-error.js';
import { dataDirOf, openServices, openStore, type CliContext } from '../cli-context.js';
import {
  EXIT_DRAIN_FAILED,
  EXIT_OK,
  EXIT_PENDING,
  EXIT_STORAGE,
} from '../../failures/exit-codes.js';
import type { CommandResult } from '../command-result.js';
import { parseBaseUrl } from '../options.js';
import { describeJobs, summarizeJob } from '../job-listing.js';
import { keychainWithEnvCredentials } from '../env-credentials.js';

export const QUEUE_HELP = `Usage: kiosk-verify queue list [--json]
       kiosk-verify queue show ID|TICKET
       kiosk-verify queue drain [--base-url URL]
       kiosk-verify queue retry ID|TICKET
       kiosk-verify queue discard ID|TICKET
       kiosk-verify queue purge
       kiosk-verify queue recover DAMAGED-FILE
Options for all: [--data-dir DIR]

The verifications waiting to be delivered, and the results of those delivered.
  list     newest first: a table on a terminal, JSON with --json or when piped
  show     one job, with its result when it has one
  drain    deliver now, in the foreground, until nothing is left to send (Ctrl+C stops;
           a job being sent goes back to the queue). A progress bar on a terminal,
           JSON lines otherwise. Exits 6 if jobs are still waiting at the end, 7 if
           some ended failed or expired, 8 if the queue's storage failed (delivery
           stops at once so nothing is sent twice).
  retry    make a waiting job due now
  discard  give up on a job: it ends as failed and its images are deleted
  purge    expire jobs past the maximum age and delete results past retention now
  recover  bring every job that can still be read from a damaged queue file (one the
           kiosk moved aside, queue.sqlite.damaged-...) into the queue; the file is kept
list, show, retry, discard, purge and recover do not need the queue's data key.
  --data-dir  the queue's folder (default: the app's data folder, shared with the kiosk);
              it must hold a queue
  --base-url  send to this address instead of the vendors' hosts (e.g. the emulator)
drain's credentials: the keychain (kiosk-verify secrets set); KAIROS_APP_ID and
KAIROS_APP_KEY, or BIOMETRIC_KZ_API_KEY, override it for a support session.`;

function findJob(store: JobStore, idOrTicket: string | undefined): Job {
  if (idOrTicket === undefined) throw usageError('Name the job: its id or its ticket.');
  const job = store.get(idOrTicket) ?? store.getByTicket(idOrTicket);
  if (!job) throw new QueueError('not-found', `No job "${idOrTicket}" in the queue.`);
  return job;
}

export async function runQueue(args: string[], context: CliContext): Promise<CommandResult> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'base-url': { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const [action, target, ...extra] = positionals;
  if (extra.length > 0) throw usageError(`Unexpected "${extra.join(' ')}".`);
  const baseUrl = parseBaseUrl(values['base-url']);
  if (action === 'drain') {
    // KAIROS_APP_ID / KAIROS_APP_KEY / BIOMETRIC_KZ_API_KEY override the keychain, as for
    // `liveness` and `match`: support drains from a shell with the credentials in hand.
    const secrets = keychainWithEnvCredentials(context.env, () => context.keychain());
    const services = await openServices(context, dataDirOf(values['data-dir'], context.env), {
      secrets,
      ...(baseUrl ? { baseUrls: { kairos: baseUrl, 'biometric-kz': baseUrl } } : {}),
    });
    try {
      const { drain } = await import('./queue-drain.js');
      const summary = await drain(services, context);
      const pending = summary.totals.queued + summary.totals.sending + summary.totals['retry-wait'];
      const exitCode = summary.storageProblem
        ? EXIT_STORAGE
        : summary.ended.failed + summary.ended.expired > 0
          ? EXIT_DRAIN_FAILED
          : pending > 0
            ? EXIT_PENDING
            : EXIT_OK;
      return { value: summary, exitCode };
    } finally {
      await services.close();
    }
  }
  if (action === 'recover' && target === undefined) {
    throw usageError('Name the damaged queue file to recover jobs from.');
  }
  // Everything else reads or changes rows only: no keychain, no data key.
  const store = openStore(
    context,
    dataDirOf(values['data-dir'], context.env, { mayCreate: action === 'recover' }),
  );
  try {
    switch (action) {
      case 'list': {
        const jobs = store.list();
        const asTable = !values.json && (context.stdout as NodeJS.WriteStream).isTTY === true;
        return asTable ? { text: describeJobs(jobs) } : { value: jobs.map(summarizeJob) };
      }
      case 'show':
        return { value: findJob(store, target) };
      case 'retry':
        return { value: summarizeJob(store.retryNow(findJob(store, target).id)) };
      case 'discard':
        return { value: summarizeJob(store.discard(findJob(store, target).id)) };
      case 'purge':
        return { value: store.sweep() };
      case 'recover':
        return { value: store.salvageFrom(target!) };
      default:
        throw usageError('Say what to do: list, show, drain, retry, discard, purge or recover.');
    }
  } finally {
    store.close();
  }
}
