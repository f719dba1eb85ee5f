/** Reading job rows back: every column is checked, JSON columns against their schemas. */
import { z } from 'zod';
import { API_IDS, VENDOR_IDS, VENDOR_OF_API } from '../../../model/apis.js';
import { isJobErrorCode, QualityReportsSchema } from '../../../model/jobs.js';
import { VerificationResultSchema } from '../../../model/result-model.js';
import { JOB_STATES, JobOptionsSchema, type Job } from '../job.js';
import type { JobChange } from '../queue-events.js';
import { QueueError } from '../queue-errors.js';

/** The columns every job query selects, plus whether images are still stored. */
export const JOB_COLUMNS = `
  id, ticket, api, vendor, options, staff_ref, consent_at, consent_text_version, created_at,
  updated_at, state, attempts, resends, next_attempt_at, last_error_code, last_error_message,
  result, finished_at, observed_at, training, quality,
  EXISTS (SELECT 1 FROM job_images WHERE job_images.job_id = jobs.id) AS has_images`;

function json<T extends z.ZodType>(schema: T) {
  return z.string().transform((text, ctx): z.output<T> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not JSON' });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom' });
      return z.NEVER;
    }
    return parsed.data;
  });
}

const JobRowSchema = z
  .object({
    id: z.string(),
    ticket: z.string(),
    api: z.enum(API_IDS),
    vendor: z.enum(VENDOR_IDS),
    options: json(JobOptionsSchema),
    staff_ref: z.string().nullable(),
    consent_at: z.string(),
    consent_text_version: z.string(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
    state: z.enum(JOB_STATES),
    attempts: z.number().int().nonnegative(),
    resends: z.number().int().nonnegative(),
    next_attempt_at: z.number().int().nullable(),
    // A code this version does not know (written by a newer app) reads as 'unexpected'.
    last_error_code: z
      .string()
      .transform((code) => (isJobErrorCode(code) ? code : 'unexpected'))
      .nullable(),
    last_error_message: z.string().nullable(),
    result: json(VerificationResultSchema).nullable(),
    finished_at: z.number().int().nullable(),
    observed_at: z.number().int(),
    training: z.union([z.literal(0), z.literal(1)]),
    quality: json(QualityReportsSchema).nullable(),
    has_images: z.union([z.literal(0), z.literal(1)]),
  })
  .refine((row) => VENDOR_OF_API[row.api] === row.vendor, 'vendor does not match api')
  .refine(
    (row) => row.options.kind === (row.api === 'kairos-biometric-v0.1' ? 'match' : 'liveness'),
    'options do not match api',
  );

/** A row as better-sqlite3 returns it; only its id is trusted before parsing. */
export type JobRow = { id: string } & Record<string, unknown>;

/**
 * Parses one row; a damaged row is a QueueError('unreadable-record') naming what is wrong.
 * `observedNow` is the queue's observed clock (queue-clock.ts), for the job's age.
 */
export function jobFromRow(row: JobRow, observedNow: number): Job {
  const parsed = JobRowSchema.safeParse(row);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`)
      .join('; ');
    throw new QueueError(
      'unreadable-record',
      `Job ${row.id} is stored in a form this app cannot read (${where}).`,
    );
  }
  const r = parsed.data;
  return {
    id: r.id,
    ticket: r.ticket,
    api: r.api,
    vendor: r.vendor,
    options: r.options,
    staffRef: r.staff_ref,
    consent: { acceptedAt: r.consent_at, textVersion: r.consent_text_version },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    state: r.state,
    attempts: r.attempts,
    resends: r.resends,
    nextAttemptAt: r.next_attempt_at,
    lastError:
      r.last_error_code === null
        ? null
        : { code: r.last_error_code, message: r.last_error_message ?? '' },
    result: r.result,
    finishedAt: r.finished_at,
    ageMs: Math.max(0, observedNow - r.observed_at),
    hasImages: r.has_images === 1,
    training: r.training === 1,
    quality: r.quality,
  };
}

export function jobChangeOf(job: Job): JobChange {
  return {
    id: job.id,
    ticket: job.ticket,
    api: job.api,
    state: job.state,
    attempts: job.attempts,
    resends: job.resends,
    nextAttemptAt: job.nextAttemptAt,
    lastError: job.lastError,
  };
}
