/**
 * A job is one verification waiting in (or finished by) the queue. What is stored is validated
 * with these schemas when it is read back, so a damaged row is a clear error, never a crash.
 * A job never holds credentials; its images live encrypted in their own table.
 */
import { z } from 'zod';
import { API_IDS, type ApiId, type VendorId } from '../../model/apis.js';
import { IMAGE_CONTENT_TYPES, type VerificationRequest } from '../../model/request.js';
import type { VerificationResult } from '../../model/result-model.js';
import {
  JOB_STATES,
  QualityReportsSchema,
  type JobErrorCode,
  type JobState,
  type QualityReports,
} from '../../model/jobs.js';

export { JOB_STATES, type JobState };

/** A job in one of these states never changes again and holds no images. */
export const TERMINAL_STATES = ['done', 'failed', 'expired'] as const satisfies readonly JobState[];
export type TerminalState = (typeof TERMINAL_STATES)[number];
/** Still to be delivered: what "pending" means in totals and drain progress. */
export const PENDING_STATES = [
  'queued',
  'sending',
  'retry-wait',
] as const satisfies readonly JobState[];

export function isTerminal(state: JobState): state is TerminalState {
  return (TERMINAL_STATES as readonly JobState[]).includes(state);
}

/** Why a job last failed: one of JOB_ERROR_CODES (model/jobs.ts), and words for staff. */
export interface JobError {
  code: JobErrorCode;
  message: string;
}

export const ConsentRecordSchema = z.object({
  /** ISO time the customer accepted. */
  acceptedAt: z.iso.datetime({ offset: true }),
  /** Which consent text they were shown, e.g. "2025-01". */
  textVersion: z.string().min(1).max(64),
});
export type ConsentRecord = z.infer<typeof ConsentRecordSchema>;

const ThresholdSchema = z.number().min(0).max(1);

export const JobOptionsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('liveness'), threshold: ThresholdSchema }),
  z.object({ kind: z.literal('match'), threshold: ThresholdSchema, multiface: z.boolean() }),
]);
export type JobOptions = z.infer<typeof JobOptionsSchema>;

export interface Job {
  id: string;
  /** The short code the customer was given (see ticket.ts). */
  ticket: string;
  api: ApiId;
  vendor: VendorId;
  options: JobOptions;
  /** Who served the customer (staff id or initials), for the staff console. */
  staffRef: string | null;
  consent: ConsentRecord;
  /** Wall time it was queued, as staff see it; it says nothing of its age if the clock jumped. */
  createdAt: number;
  updatedAt: number;
  state: JobState;
  /** Send attempts started (an attempt paused for auth or quota is not counted). */
  attempts: number;
  /** Sends repeated after an answer that may or may not have reached the vendor. */
  resends: number;
  /** When a 'retry-wait' job becomes due. */
  nextAttemptAt: number | null;
  /** The last failure; for a 'failed' or 'expired' job, the reason it ended. */
  lastError: JobError | null;
  result: VerificationResult | null;
  finishedAt: number | null;
  /**
   * How long it has been queued, as the kiosk observed it (queue-clock.ts), when it was read:
   * what expiry goes by. Unlike now - createdAt, a jump of the wall clock does not change it.
   */
  ageMs: number;
  /** The pictures' quality reports, when the kiosk measured them (numbers only). */
  quality: QualityReports | null;
  /** False once the job is terminal: its images are deleted then. */
  hasImages: boolean;
  /** Made in training mode, on the embedded emulator: never sent to a real vendor. */
  training: boolean;
}

/** What a caller hands the queue: the request as it would go to the gateway, and who/why. */
export interface NewJob {
  request: VerificationRequest;
  consent: ConsentRecord;
  staffRef?: string | null;
  /** The pictures' quality reports (numbers only). */
  quality?: QualityReports | null;
  /** Reuse the id of an online attempt that is now queued, so both are one job in the logs. */
  id?: string;
  /** The online attempt that failed before the job was queued (session service). */
  priorAttempt?: PriorAttempt;
}

/** A send already tried before queueing: counted, and a resend if its outcome is unknown. */
export interface PriorAttempt {
  error: JobError;
  outcomeUnknown: boolean;
}

const PreparedImageSchema = z.object({
  bytes: z.instanceof(Uint8Array).refine((bytes) => bytes.length > 0, 'image is empty'),
  fileName: z.string().min(1).max(200),
  contentType: z.enum(IMAGE_CONTENT_TYPES),
});

/** Checks what is enqueued at the border, before anything is written. */
export const NewJobSchema = z.object({
  request: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('liveness'),
      api: z.enum(API_IDS).exclude(['kairos-biometric-v0.1']),
      selfie: PreparedImageSchema,
      threshold: ThresholdSchema,
    }),
    z.object({
      kind: z.literal('match'),
      api: z.literal('kairos-biometric-v0.1'),
      selfie: PreparedImageSchema,
      image: PreparedImageSchema,
      multiface: z.boolean(),
      threshold: ThresholdSchema,
    }),
  ]),
  consent: ConsentRecordSchema,
  staffRef: z.string().max(200).nullable().optional(),
  /** The pictures' quality reports (numbers only). */
  quality: QualityReportsSchema.nullable().optional(),
  id: z.uuid().optional(),
  priorAttempt: z
    .object({
      error: z.object({ code: z.string().min(1), message: z.string() }),
      outcomeUnknown: z.boolean(),
    })
    .optional(),
});

export function optionsOf(request: VerificationRequest): JobOptions {
  return request.kind === 'liveness'
    ? { kind: 'liveness', threshold: request.threshold }
    : { kind: 'match', threshold: request.threshold, multiface: request.multiface };
}
