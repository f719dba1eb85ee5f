/**
 * The one list of commands and events between the renderer and the main process. zod schemas,
 * so both sides share the types and the main side validates every message it receives and
 * every answer and event it sends (z.object drops any field the contract does not name, so
 * nothing reaches the renderer by accident). Pure zod: the renderer, the preload and the main
 * process all import this file.
 */
import { z } from 'zod';
import { JOB_ERROR_CODES, JOB_STATES, PAUSE_REASONS, STORAGE_PROBLEMS } from '../model/jobs.js';
import { SECRET_PRESENCE } from '../model/request.js';
import { API_IDS, VENDOR_IDS } from '../model/apis.js';
import { VERDICTS, VerificationResultSchema } from '../model/result-model.js';
import { COMMAND_ERROR_CODES, type CommandError } from './border.js';

export {
  COMMAND_ERROR_CODES,
  EVENT_CHANNEL,
  KioskApiError,
  type CommandError,
  type CommandErrorCode,
} from './border.js';

export const AppInfoSchema = z.object({
  version: z.string(),
  /** True when no vendor credentials are set and the embedded emulator answers. */
  trainingMode: z.boolean(),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const VendorIdSchema = z.enum(VENDOR_IDS);

const PresenceSchema = z.enum(SECRET_PRESENCE);

/** All the renderer learns of the keychain: set or not set, never a value. */
export const SecretStatusSchema = z.object({
  vendors: z.object({ kairos: PresenceSchema, 'biometric-kz': PresenceSchema }),
  queueDataKey: PresenceSchema,
});
export type SecretStatus = z.infer<typeof SecretStatusSchema>;

const JobErrorSchema = z.object({ code: z.enum(JOB_ERROR_CODES), message: z.string() });
const JobStateSchema = z.enum(JOB_STATES);

/** A vendor's answer as staff see it: the normalized result without the vendor's raw body. */
export const ResultSummarySchema = VerificationResultSchema.omit({ raw: true });
export type ResultSummary = z.infer<typeof ResultSummarySchema>;

export const VerdictSchema = z.enum(VERDICTS);

/** A job as the staff console shows it: no images, no consent text, no credentials. */
export const JobSummarySchema = z.object({
  id: z.string(),
  /** The short code the customer was given. */
  ticket: z.string(),
  api: z.enum(API_IDS),
  vendor: VendorIdSchema,
  state: JobStateSchema,
  staffRef: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  finishedAt: z.number().nullable(),
  attempts: z.number().int(),
  resends: z.number().int(),
  nextAttemptAt: z.number().nullable(),
  lastError: JobErrorSchema.nullable(),
  result: ResultSummarySchema.nullable(),
  verdict: VerdictSchema.nullable(),
});
export type JobSummary = z.infer<typeof JobSummarySchema>;

export const QueueTotalsSchema = z.record(JobStateSchema, z.number().int());

export const VendorPauseSchema = z.object({
  vendor: VendorIdSchema,
  reason: z.enum(PAUSE_REASONS),
  message: z.string(),
  until: z.number().nullable(),
});

export const QueueStatusSchema = z.object({
  totals: QueueTotalsSchema,
  pausedVendors: z.array(VendorPauseSchema),
});
export type QueueStatus = z.infer<typeof QueueStatusSchema>;

const JobIdSchema = z.object({ id: z.string().min(1).max(64) });
/** A ticket as staff type it: letters and digits, dashes and spaces ignored. */
const TicketSchema = z.object({ ticket: z.string().min(1).max(32) });

/** Request/response commands: channel -> input and output schemas. */
export const COMMANDS = {
  'app:get-info': { input: z.void(), output: AppInfoSchema },
  'secrets:get-status': { input: z.void(), output: SecretStatusSchema },
  'queue:get-status': { input: z.void(), output: QueueStatusSchema },
  'queue:list-jobs': {
    input: z.object({ limit: z.number().int().min(1).max(500) }),
    output: z.array(JobSummarySchema),
  },
  'queue:find-job': {
    input: z.union([JobIdSchema, TicketSchema]),
    output: JobSummarySchema.nullable(),
  },
  'queue:retry-job': { input: JobIdSchema, output: JobSummarySchema },
  'queue:discard-job': { input: JobIdSchema, output: JobSummarySchema },
  'queue:resume-vendor': { input: z.object({ vendor: VendorIdSchema }), output: QueueStatusSchema },
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandInput<C extends CommandName> = z.infer<(typeof COMMANDS)[C]['input']>;
export type CommandOutput<C extends CommandName> = z.infer<(typeof COMMANDS)[C]['output']>;

export const CommandErrorSchema = z.object({
  code: z.enum(COMMAND_ERROR_CODES),
  message: z.string(),
  retryable: z.boolean(),
});

/** What crosses the border for every command: Electron would flatten a thrown error to text. */
export type CommandResult<C extends CommandName> =
  { ok: true; value: CommandOutput<C> } | { ok: false; error: CommandError };

export const JobChangeSchema = z.object({
  id: z.string(),
  ticket: z.string(),
  api: z.enum(API_IDS),
  state: JobStateSchema,
  attempts: z.number().int(),
  resends: z.number().int(),
  nextAttemptAt: z.number().nullable(),
  lastError: JobErrorSchema.nullable(),
});

export const KioskEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job-changed'), job: JobChangeSchema }),
  z.object({ type: z.literal('queue-totals'), totals: QueueTotalsSchema }),
  /** "n of m" while the queue drains. */
  z.object({
    type: z.literal('drain-progress'),
    finished: z.number().int(),
    total: z.number().int(),
  }),
  z.object({ type: z.literal('vendor-paused'), pause: VendorPauseSchema }),
  z.object({ type: z.literal('vendor-resumed'), vendor: VendorIdSchema }),
  z.object({ type: z.literal('connectivity'), online: z.boolean() }),
  /** Something the delivery loop survived; for the staff console's problem list. */
  z.object({ type: z.literal('delivery-problem'), message: z.string() }),
  /** The queue's storage failed: delivery stopped; an alert for staff until it recovers. */
  z.object({
    type: z.literal('storage-problem'),
    problem: z.enum(STORAGE_PROBLEMS),
    file: z.string(),
    message: z.string(),
    unrecorded: z.number().int(),
  }),
  z.object({ type: z.literal('storage-recovered'), file: z.string() }),
]);
export type KioskEvent = z.infer<typeof KioskEventSchema>;

/** The API the preload exposes as window.kiosk: one typed function per command. */
export interface KioskApi {
  getInfo(): Promise<AppInfo>;
  getSecretStatus(): Promise<SecretStatus>;
  getQueueStatus(): Promise<QueueStatus>;
  listJobs(limit: number): Promise<JobSummary[]>;
  /** By id, or by the ticket a customer reads out. */
  findJob(ref: { id: string } | { ticket: string }): Promise<JobSummary | null>;
  retryJob(id: string): Promise<JobSummary>;
  discardJob(id: string): Promise<JobSummary>;
  resumeVendor(vendor: z.infer<typeof VendorIdSchema>): Promise<QueueStatus>;
  /** Every queue event as it happens; returns the unsubscribe function. */
  onEvent(listener: (event: KioskEvent) => void): () => void;
}
