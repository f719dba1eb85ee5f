/**
 * Delivering one claimed job: credentials from the keychain at send time, images decrypted,
 * one send through the gateway, and the outcome written back by the delivery policy. Never
 * throws for anything a job or a vendor can cause; the loop only learns what happened.
 */
import { VENDOR_DISPLAY_NAME, type VendorId } from '../../../model/apis.js';
import { isVendorError, VendorError } from '../../vendors/vendor-error.js';
import type { VendorCredentials, VerificationRequest } from '../../../model/request.js';
import { VerificationResultSchema, type VerificationResult } from '../../../model/result-model.js';
import { isSecretStoreError } from '../../secrets/secret-store.js';
import type { Clock } from '../../clock/clock.js';
import { decideAfterFailure, type DeliveryPolicy } from './delivery-policy.js';
import type { JobStore } from '../store/job-store.js';
import type { Job } from '../job.js';
import type { LeaseOwner } from '../lease-owner.js';
import type { VendorPause } from '../queue-events.js';
import { isQueueError } from '../queue-errors.js';
import { isStorageError, type StorageError } from '../store/storage-errors.js';

/** The gateway as the queue sees it (VendorGateway satisfies this); it throws VendorError. */
export interface VerificationSender {
  send(
    request: VerificationRequest,
    options: {
      credentials: VendorCredentials;
      signal?: AbortSignal;
      onUploadProgress?: (sent: number, total: number) => void;
    },
  ): Promise<VerificationResult>;
}

export interface DeliveryContext {
  store: JobStore;
  sender: VerificationSender;
  /** Reads the vendor's credentials from the keychain now (see DeliveryLoop). */
  readCredentials: (vendor: VendorId) => Promise<VendorCredentials>;
  owner: LeaseOwner;
  policy: DeliveryPolicy;
  clock: Clock;
  random: () => number;
  /** Aborted when the loop stops: the send is cut short and the job goes back to the queue. */
  signal: AbortSignal;
}

export type DeliveryOutcome =
  | { kind: 'done' }
  | { kind: 'retry'; networkError: boolean }
  | { kind: 'failed' }
  | { kind: 'expired' }
  /** Back in the queue because the loop stopped mid-send. */
  | { kind: 'released' }
  | { kind: 'pause-vendor'; pause: VendorPause; refused: VendorCredentials | null }
  /**
   * The queue's storage failed. When the send already happened, `record` writes its outcome
   * (the answer, or the failure's next step): the loop keeps it and retries it, and never
   * sends the job again meanwhile. null: nothing was sent (e.g. the claim could not be read).
   */
  | {
      kind: 'storage';
      error: StorageError;
      record: (() => DeliveryOutcome) | null;
      /** The vendor's answer, when that is what could not be stored. */
      answer?: VerificationResult;
    };

/**
 * Runs a store write that records a send's outcome; a storage failure hands the write back to
 * the loop to retry instead of losing the outcome (and resending) or throwing.
 */
function recordOutcome(
  record: () => DeliveryOutcome,
  answer?: VerificationResult,
): DeliveryOutcome {
  try {
    return record();
  } catch (error) {
    if (!isStorageError(error)) throw error;
    return { kind: 'storage', error, record, ...(answer ? { answer } : {}) };
  }
}

export async function deliverJob(job: Job, context: DeliveryContext): Promise<DeliveryOutcome> {
  try {
    return await sendClaimedJob(job, context);
  } catch (error) {
    // Before any send (reading the images, releasing the claim): nothing to record.
    if (isStorageError(error)) return { kind: 'storage', error, record: null };
    throw error;
  }
}

async function sendClaimedJob(job: Job, context: DeliveryContext): Promise<DeliveryOutcome> {
  const { store, owner, policy } = context;
  const renewal = setInterval(() => {
    try {
      store.renewLease(job.id, owner, policy.leaseMs);
    } catch {
      // A busy or closing database: the next renewal (or, at worst, a takeover and a counted
      // resend by another drainer) covers it; a timer must never throw into the process.
    }
  }, policy.leaseMs / 3);
  try {
    let credentials: VendorCredentials;
    try {
      credentials = await context.readCredentials(job.vendor);
    } catch (error) {
      if (!isSecretStoreError(error)) throw error;
      store.releaseClaim(job.id, owner, {
        code: 'credentials-unavailable',
        message: error.message,
      });
      const pause: VendorPause = {
        vendor: job.vendor,
        reason: 'credentials-unavailable',
        message: error.message,
        until: null,
      };
      return { kind: 'pause-vendor', pause, refused: null };
    }

    let request: VerificationRequest;
    try {
      request = store.loadRequest(job);
    } catch (error) {
      // A disk that cannot be read is the storage's problem, never the job's: deliverJob stops
      // delivery without failing anything.
      if (!isQueueError(error) || isStorageError(error)) throw error;
      // Tampered or unreadable images fail this job only; the loop goes on with the next.
      const code = error.code === 'unreadable-record' ? 'unreadable-record' : 'unreadable-images';
      store.finish(job.id, 'failed', { code, message: error.message });
      return { kind: 'failed' };
    }

    let result: VerificationResult;
    try {
      result = await context.sender.send(request, { credentials, signal: context.signal });
    } catch (error) {
      return recordOutcome(() => settleFailure(job, error, credentials, context));
    }
    const checked = VerificationResultSchema.safeParse(result);
    if (!checked.success) {
      const error = new VendorError('bad-response', 'The answer did not match the result model.');
      return recordOutcome(() => settleFailure(job, error, credentials, context));
    }
    // Kept even if the loop is stopping: an answer in hand must not be thrown away.
    // 'already-finished' means another drainer stored it first; either way the job is done.
    const answer = checked.data;
    return recordOutcome(() => {
      store.storeResult(job.id, answer);
      return { kind: 'done' };
    }, answer);
  } finally {
    clearInterval(renewal);
  }
}

function settleFailure(
  job: Job,
  error: unknown,
  credentials: VendorCredentials,
  context: DeliveryContext,
): DeliveryOutcome {
  const { store, owner } = context;
  if (context.signal.aborted) {
    // Stopped mid-send: the next send is a resend only if the whole upload had left the kiosk.
    store.releaseClaim(
      job.id,
      owner,
      { code: 'interrupted', message: 'Delivery stopped mid-send.' },
      isVendorError(error) && error.code === 'outcome-unknown',
    );
    return { kind: 'released' };
  }
  // The job's age now (the send took a while), read before `now`: the tick behind it re-bases
  // stored times if the clock jumped, so the retry time below is in the clock as it now is.
  const aged = { attempts: job.attempts, ageMs: store.ageMs(job.id) ?? job.ageMs };
  const decision = decideAfterFailure(error, aged, {
    now: context.clock.now(),
    maxAgeMs: store.maxAgeMs,
    policy: context.policy,
    random: context.random,
  });
  switch (decision.kind) {
    case 'retry':
      store.scheduleRetry(job.id, owner, decision);
      // A lost link and a lost answer both clear up when the network returns.
      return {
        kind: 'retry',
        networkError:
          decision.error.code === 'network' || decision.error.code === 'outcome-unknown',
      };
    case 'expire':
      store.finish(job.id, 'expired', {
        code: 'max-age',
        message: `Not delivered within the queue's maximum age; last error: ${decision.error.message}`,
      });
      return { kind: 'expired' };
    case 'fail':
      store.finish(job.id, 'failed', decision.error);
      return { kind: 'failed' };
    case 'pause-vendor': {
      // Not the job's fault: back to the queue without counting the attempt.
      store.releaseClaim(job.id, owner, decision.error);
      const vendorName = VENDOR_DISPLAY_NAME[job.vendor];
      const message =
        decision.reason === 'auth'
          ? `${vendorName} refused the kiosk's credentials (${decision.error.message}). Delivery to ` +
            `${vendorName} is paused until the credentials are updated ("kiosk-verify secrets set ${job.vendor}").`
          : `${vendorName} reports its usage limit is reached (${decision.error.message}). Delivery to ` +
            `${vendorName} is paused for a while and resumes by itself.`;
      return {
        kind: 'pause-vendor',
        pause: { vendor: job.vendor, reason: decision.reason, message, until: decision.until },
        refused: decision.reason === 'auth' ? credentials : null,
      };
    }
  }
}
