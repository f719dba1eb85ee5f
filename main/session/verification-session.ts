/**
 * One customer's verification: send it now within a short deadline while the customer waits,
 * or queue it and hand back a ticket. The entry point the kiosk UI calls once the images are
 * prepared. The same job id follows the verification from the online attempt into the queue.
 */
import { randomUUID } from 'node:crypto';
import { VENDOR_OF_API } from '../../model/apis.js';
import { VendorError, type VendorErrorCode } from '../vendors/vendor-error.js';
import { verdictOf, type Verdict, type VerificationResult } from '../../model/result-model.js';
import type { VerificationRequest } from '../../model/request.js';
import type { QualityReports } from '../../model/jobs.js';
import type { Connectivity } from '../connectivity/connectivity.js';
import type { VerificationSender } from '../queue/delivery/deliver-job.js';
import type { JobStore } from '../queue/store/job-store.js';
import type { ConsentRecord, JobError, PriorAttempt } from '../queue/job.js';
import { isSecretStoreError, type SecretStore } from '../secrets/secret-store.js';
import { readVendorCredentials } from '../secrets/vendor-credentials.js';

/**
 * 20 s: long enough for a 300 KB selfie on a 256 kbit/s branch link (about 10 s) plus the
 * vendor's answer; past it a customer at a kiosk starts to walk away, so the queue takes over.
 */
export const DEFAULT_ONLINE_DEADLINE_MS = 20_000;

/**
 * Failures that end the verification for the customer now: only the images can be at fault,
 * so queueing them would fail again later. Everything else is queued: retryable trouble, and
 * the bank's account problems (auth, usage limit), which the queue pauses and alerts staff on
 * while the customer's verification waits safely.
 */
const ENDS_NOW: ReadonlySet<VendorErrorCode> = new Set(['rejected-input']);

export interface VerifyInput {
  request: VerificationRequest;
  consent: ConsentRecord;
  staffRef?: string | null;
  /** The pictures' quality reports (numbers only), kept with the job for staff. */
  quality?: QualityReports | null;
}

export type VerificationOutcome =
  | { status: 'answered-now'; jobId: string; result: VerificationResult; verdict: Verdict }
  | { status: 'queued'; jobId: string; ticket: string; reason: JobError }
  | { status: 'not-sent'; jobId: string; reason: JobError }
  /** The caller's signal stopped it (the customer pressed Cancel): nothing queued, nothing kept. */
  | { status: 'cancelled'; jobId: string };

export interface VerificationSessionOptions {
  sender: VerificationSender;
  secrets: SecretStore;
  store: JobStore;
  connectivity: Connectivity;
  /** Called after a job is queued, so the delivery loop can look at it at once. */
  onQueued?: (jobId: string) => void;
  onlineDeadlineMs?: number;
  /**
   * Keeping an answered verification's result for the console failed (the queue's storage):
   * the customer still gets the answer; the caller logs this.
   */
  onRecordFailed?: (error: unknown) => void;
}

export interface VerifyOptions {
  /** The customer's cancel: the verification is dropped, never queued. */
  signal?: AbortSignal;
  onUploadProgress?: (sent: number, total: number) => void;
}

export class VerificationSession {
  readonly #options: VerificationSessionOptions;

  constructor(options: VerificationSessionOptions) {
    this.#options = options;
  }

  /** Sends now, or queues; never throws for anything the network or a vendor can cause. */
  async verify(input: VerifyInput, options: VerifyOptions = {}): Promise<VerificationOutcome> {
    const jobId = randomUUID();
    const { connectivity, secrets, sender } = this.#options;
    const cancelled = (): boolean => options.signal?.aborted === true;
    const online = await connectivity.isOnline();
    if (cancelled()) return { status: 'cancelled', jobId };
    if (!online) {
      return this.#queue(jobId, input, {
        code: 'offline',
        message: 'The kiosk is offline; the verification will be sent when the network returns.',
      });
    }
    let credentials;
    try {
      credentials = await readVendorCredentials(secrets, VENDOR_OF_API[input.request.api]);
    } catch (error) {
      if (!isSecretStoreError(error)) throw error;
      if (cancelled()) return { status: 'cancelled', jobId };
      // Staff fix the keychain; the customer's verification waits in the queue meanwhile.
      return this.#queue(jobId, input, { code: error.code, message: error.message });
    }
    const deadline = AbortSignal.timeout(
      this.#options.onlineDeadlineMs ?? DEFAULT_ONLINE_DEADLINE_MS,
    );
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    try {
      const result = await sender.send(input.request, {
        credentials,
        signal,
        ...(options.onUploadProgress ? { onUploadProgress: options.onUploadProgress } : {}),
      });
      this.#recordAnswered(jobId, input, result);
      return { status: 'answered-now', jobId, result, verdict: verdictOf(result) };
    } catch (error) {
      if (!(error instanceof VendorError)) throw error;
      // Whatever reached the vendor, the customer withdrew it: their pictures are not kept.
      if (cancelled()) return { status: 'cancelled', jobId };
      const reason = { code: error.code, message: error.message };
      if (ENDS_NOW.has(error.code)) return { status: 'not-sent', jobId, reason };
      return this.#queue(jobId, input, reason, {
        error: reason,
        outcomeUnknown: error.code === 'outcome-unknown',
      });
    }
  }

  /** Keeps the answer for the staff console's results; a storage failure never reaches the customer. */
  #recordAnswered(jobId: string, input: VerifyInput, result: VerificationResult): void {
    try {
      this.#options.store.recordAnswered(
        {
          id: jobId,
          request: input.request,
          consent: input.consent,
          staffRef: input.staffRef ?? null,
          quality: input.quality ?? null,
        },
        result,
      );
    } catch (error) {
      this.#options.onRecordFailed?.(error);
    }
  }

  /** Queues the verification under the id of this session; `priorAttempt` when a send was tried. */
  #queue(
    jobId: string,
    input: VerifyInput,
    reason: JobError,
    priorAttempt?: PriorAttempt,
  ): VerificationOutcome {
    const job = this.#options.store.enqueue({
      id: jobId,
      request: input.request,
      consent: input.consent,
      staffRef: input.staffRef ?? null,
      quality: input.quality ?? null,
      ...(priorAttempt ? { priorAttempt } : {}),
    });
    this.#options.onQueued?.(job.id);
    return { status: 'queued', jobId: job.id, ticket: job.ticket, reason };
  }
}
