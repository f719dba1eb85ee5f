/**
 * The one list of commands and events between the renderer and the main process. zod schemas,
 * so both sides share the types and the main side validates every message it receives and
 * every answer and event it sends (z.object drops any field the contract does not name, so
 * nothing reaches the renderer by accident). Pure zod: the renderer, the preload and the main
 * process all import this file.
 */
import { z } from 'zod';
import {
  JOB_ERROR_CODES,
  JOB_STATES,
  PAUSE_REASONS,
  QualityReportsSchema,
  STORAGE_PROBLEMS,
} from '../model/jobs.js';
import { SECRET_PRESENCE } from '../model/request.js';
import { API_IDS, VENDOR_IDS } from '../model/apis.js';
import { VERDICTS, VerificationResultSchema } from '../model/result-model.js';
import { CAPTURE_ROLES, GUIDANCE_VERDICTS } from '../model/guidance.js';
import { LANGUAGES, SESSION_KINDS } from '../model/kiosk-settings.js';
import { CAPTURE_FRAME_MAX_SIDE, COMMAND_ERROR_CODES, type CommandError } from './border.js';
import {
  AuditExportInputSchema,
  AuditExportSchema,
  AuditVerifySchema,
  CredentialsViewSchema,
  DiagnosticsFileSchema,
  ListPageInputSchema,
  SetCredentialsSchema,
  SettingsPatchSchema,
  SettingsViewSchema,
  SignInResultSchema,
  SignedOutEventSchema,
  StaffStatusSchema,
  TestConnectionResultSchema,
  type AuditExport,
  type AuditVerify,
  type CredentialsView,
  type DiagnosticsFile,
  type SettingsPatch,
  type SettingsView,
  type SignInResult,
  type StaffStatus,
  type TestConnectionResult,
} from './console-contract.js';

export * from './console-contract.js';
export {
  CAPTURE_FRAME_MAX_SIDE,
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
  /** The staff console may quit the app (the Electron kiosk; not the browser harness). */
  canQuit: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

const LanguageSchema = z.enum(LANGUAGES);
const SessionKindSchema = z.enum(SESSION_KINDS);
const CaptureRoleSchema = z.enum(CAPTURE_ROLES);

/** What the customer's way through needs to know of the settings, read at each attract screen. */
export const KioskConfigSchema = z.object({
  trainingMode: z.boolean(),
  languages: z.array(LanguageSchema).min(1),
  defaultLanguage: LanguageSchema,
  defaultSessionKind: SessionKindSchema,
  /** Who receives the pictures, by name, for each session type (the consent screen says it). */
  vendorNames: z.record(SessionKindSchema, z.string()),
  /** How long an undelivered verification may wait, and how long a result is kept, in days. */
  maxQueueDays: z.number(),
  retentionDays: z.number(),
  consentVersion: z.string(),
  idle: z.object({ resultMs: z.number().int(), otherMs: z.number().int() }),
  autoCaptureSteadyMs: z.number().int(),
  manualCaptureAfterMs: z.number().int(),
  /** The camera's label to use first; null: any. */
  camera: z.string().nullable(),
});
export type KioskConfig = z.infer<typeof KioskConfigSchema>;

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
  /** Made in training mode on the embedded emulator; never a real customer's. */
  training: z.boolean(),
  /** The pictures' quality reports (numbers only), when the kiosk measured them. */
  quality: QualityReportsSchema.nullable(),
  /** When the job and its result are purged (finished + the retention period); null: waiting. */
  purgeAt: z.number().nullable(),
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
  /** Whether the vendors can be reached now. */
  online: z.boolean(),
  /** Why the queue's storage fails (delivery stopped), or null. */
  storageProblem: z.string().nullable(),
});
export type QueueStatus = z.infer<typeof QueueStatusSchema>;

const JobIdSchema = z.object({ id: z.string().min(1).max(64) });
/** A ticket as staff type it: letters and digits, dashes and spaces ignored. */
const TicketSchema = z.object({ ticket: z.string().min(1).max(32) });

/**
 * One camera frame, RGBA row-major, as binary (a Uint8Array over IPC, a binary WebSocket frame
 * in the harness; never a JSON array). Guidance frames are small (~320x240); the capture is the
 * camera's full resolution.
 */
const frameSchema = (maxSide: number) =>
  z
    .object({
      width: z.number().int().min(16).max(maxSide),
      height: z.number().int().min(16).max(maxSide),
      data: z.instanceof(Uint8Array),
    })
    .refine((frame) => frame.data.byteLength === frame.width * frame.height * 4, {
      message: 'data must hold width x height RGBA pixels',
      path: ['data'],
    });
/** A 4096x4096 JPEG at quality 0.95 of a noisy scene stays well under this. */
const MAX_JPEG_FRAME_BYTES = 20 * 1024 * 1024;
/**
 * The capture may instead come JPEG-encoded by the browser (quality 0.95): the same
 * full-resolution frame in ~150 KB instead of 3.6 MB of RGBA at 1280x720, which is what the
 * harness's WebSocket would otherwise stream (~200 ms here). The main process decodes it and
 * checks it is a complete JPEG of the declared size.
 */
const jpegFrameSchema = (maxSide: number) =>
  z.object({
    width: z.number().int().min(16).max(maxSide),
    height: z.number().int().min(16).max(maxSide),
    encoding: z.literal('jpeg'),
    data: z
      .instanceof(Uint8Array)
      .refine((data) => data.byteLength >= 4 && data.byteLength <= MAX_JPEG_FRAME_BYTES, {
        message: `data must be a JPEG of at most ${MAX_JPEG_FRAME_BYTES / 1024 / 1024} MB`,
      }),
  });
/** Guidance frames: the renderer scales the video down to about 320x240 first. */
export const GUIDANCE_FRAME_MAX_SIDE = 640;

const SessionIdSchema = z.string().uuid();
const SessionRefSchema = z.object({ sessionId: SessionIdSchema });

export const SessionInfoSchema = z.object({
  sessionId: SessionIdSchema,
  kind: SessionKindSchema,
  /** The pictures this session takes, in order: the ID photo first for a face match. */
  roles: z.array(CaptureRoleSchema),
  vendorName: z.string(),
  training: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

const BoxSchema = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

/** The pipeline's answer to one guidance frame; the renderer words `messageKey`. */
export const FrameGuidanceSchema = z.object({
  verdict: z.enum(GUIDANCE_VERDICTS),
  /** The catalogue key, e.g. guidance.selfie.too-far. */
  messageKey: z.string(),
  /** The main face, in the frame's pixels; null without one. */
  faceBox: BoxSchema.nullable(),
  faces: z.number().int(),
  /** Consecutive frames the face held still; auto-capture waits for "ok" frames in a row. */
  steadyFrames: z.number().int(),
  frameWidth: z.number().int(),
  frameHeight: z.number().int(),
});
export type FrameGuidance = z.infer<typeof FrameGuidanceSchema>;

/** The prepared image's quality report: numbers only, never its bytes. */
export const CaptureReportSchema = z.object({
  role: CaptureRoleSchema,
  /** False when the full-resolution frame failed a gate: `verdict` says which, retake. */
  accepted: z.boolean(),
  verdict: z.enum(GUIDANCE_VERDICTS),
  messageKey: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  byteSize: z.number().int(),
  quality: z.object({
    faceRatio: z.number().nullable(),
    brightness: z.number().nullable(),
    sharpness: z.number().nullable(),
    // The face quality measures (main/capture/face-measures.ts; ISO/IEC 29794-5's components
    // by OFIQ's names, not a conformance claim): null where the face mesh did not run.
    /** HeadPose, degrees: yaw positive towards the picture's right. */
    yaw: z.number().nullable().optional(),
    /** HeadPose, degrees: pitch positive with the chin raised. */
    pitch: z.number().nullable().optional(),
    /** HeadPose, degrees: roll positive clockwise in the picture. */
    roll: z.number().nullable().optional(),
    /** EyesOpen: the less open eye's aspect ratio. */
    eyesOpen: z.number().nullable().optional(),
    /** InterEyeDistance in the prepared image's pixels. */
    interEyeDistance: z.number().nullable().optional(),
    /** HeadSize: face height / image height. */
    headSize: z.number().nullable().optional(),
    /** IlluminationUniformity: darker half / brighter half of the face (0..1). */
    illuminationUniformity: z.number().nullable().optional(),
    /** Shares (0..1) of face pixels near black and near white. */
    underExposure: z.number().nullable().optional(),
    overExposure: z.number().nullable().optional(),
  }),
});
export type CaptureReport = z.infer<typeof CaptureReportSchema>;

/** Why a verification was not sent; `retake` when new pictures can fix it. */
export const NOT_SENT_REASONS = ['image-rejected', 'failed'] as const;

export const SessionOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('answered'), verdict: VerdictSchema, training: z.boolean() }),
  z.object({ status: z.literal('queued'), ticket: z.string(), training: z.boolean() }),
  z.object({
    status: z.literal('not-sent'),
    reason: z.enum(NOT_SENT_REASONS),
    retake: z.boolean(),
  }),
  z.object({ status: z.literal('cancelled') }),
]);
export type SessionOutcome = z.infer<typeof SessionOutcomeSchema>;

/** Request/response commands: channel -> input and output schemas. */
export const COMMANDS = {
  'app:get-info': { input: z.void(), output: AppInfoSchema },
  'kiosk:get-config': { input: z.void(), output: KioskConfigSchema },
  /** Remember the camera that worked (by label), for the next customer and the next start. */
  'kiosk:remember-camera': { input: z.object({ label: z.string().max(256) }), output: z.null() },
  /** The customer declined: nothing is kept, only the decline is logged. */
  'consent:decline': {
    input: z.object({ kind: SessionKindSchema, language: LanguageSchema }),
    output: z.null(),
  },
  /** The customer agreed to the consent text shown: the session (and its camera) begins. */
  'session:start': {
    input: z.object({
      kind: SessionKindSchema,
      language: LanguageSchema,
      consentVersion: z.string().min(1).max(64),
    }),
    output: SessionInfoSchema,
  },
  'session:analyze-frame': {
    input: z.object({
      sessionId: SessionIdSchema,
      role: CaptureRoleSchema,
      frame: frameSchema(GUIDANCE_FRAME_MAX_SIDE),
    }),
    output: FrameGuidanceSchema,
  },
  'session:capture': {
    input: z.object({
      sessionId: SessionIdSchema,
      role: CaptureRoleSchema,
      frame: z.union([
        frameSchema(CAPTURE_FRAME_MAX_SIDE),
        jpegFrameSchema(CAPTURE_FRAME_MAX_SIDE),
      ]),
    }),
    output: CaptureReportSchema,
  },
  /** Sends the session's pictures now, or queues them; progress arrives as events. */
  'session:verify': { input: SessionRefSchema, output: SessionOutcomeSchema },
  /** Stops a verify in flight: nothing is queued, nothing kept. */
  'session:cancel': { input: SessionRefSchema, output: z.null() },
  /** Every picture of the session is dropped from memory at once; safe to repeat. */
  'session:end': { input: SessionRefSchema, output: z.null() },
  'secrets:get-status': { input: z.void(), output: SecretStatusSchema },
  'queue:get-status': { input: z.void(), output: QueueStatusSchema },
  'queue:list-jobs': {
    input: z.object({ limit: z.number().int().min(1).max(500) }),
    output: z.array(JobSummarySchema),
  },
  /** One page of the console's queue or results list (newest first), and the list's length. */
  'queue:list-page': {
    input: ListPageInputSchema,
    output: z.object({ total: z.number().int(), jobs: z.array(JobSummarySchema) }),
  },
  'queue:find-job': {
    input: z.union([JobIdSchema, TicketSchema]),
    output: JobSummarySchema.nullable(),
  },
  'queue:retry-job': { input: JobIdSchema, output: JobSummarySchema },
  'queue:discard-job': { input: JobIdSchema, output: JobSummarySchema },
  'queue:resume-vendor': { input: z.object({ vendor: VendorIdSchema }), output: QueueStatusSchema },
  // The staff console (preload/console-contract.ts). Only the staff:* commands work signed out.
  'staff:get-status': { input: z.void(), output: StaffStatusSchema },
  /** The console's first start: sets the PIN (none may exist yet) and signs in. */
  'staff:set-first-pin': {
    input: z.object({ pin: z.string().max(64) }),
    output: StaffStatusSchema,
  },
  'staff:sign-in': { input: z.object({ pin: z.string().max(64) }), output: SignInResultSchema },
  'staff:sign-out': { input: z.void(), output: z.null() },
  /** Staff are working in the console (typing a form): the idle sign-out starts again. */
  'staff:activity': { input: z.void(), output: z.object({ signedIn: z.boolean() }) },
  'settings:get': { input: z.void(), output: SettingsViewSchema },
  'settings:update': { input: SettingsPatchSchema, output: SettingsViewSchema },
  'credentials:get': { input: z.void(), output: CredentialsViewSchema },
  /** Into the keychain; ends training mode (the console asks first). */
  'credentials:set': { input: SetCredentialsSchema, output: CredentialsViewSchema },
  /** Out of the keychain; with no vendor left, the kiosk returns to training mode. */
  'credentials:remove': {
    input: z.object({ vendor: VendorIdSchema }),
    output: CredentialsViewSchema,
  },
  /** One real request with a built-in test picture to the vendor the settings name. */
  'credentials:test': {
    input: z.object({ vendor: VendorIdSchema }),
    output: TestConnectionResultSchema,
  },
  'audit:verify': { input: z.void(), output: AuditVerifySchema },
  'audit:export': { input: AuditExportInputSchema, output: AuditExportSchema },
  /** Logs, settings, queue states and versions as one .tar.gz for support; no image or secret. */
  'diagnostics:save': { input: z.void(), output: DiagnosticsFileSchema },
  /** Quits the app (the Electron kiosk only: the browser harness answers invalid-state). */
  'app:quit': { input: z.void(), output: z.null() },
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

/** Where a customer's session is, as the main process sees it. */
export const SESSION_STATES = [
  'capturing',
  'sending',
  'answered',
  'queued',
  'not-sent',
  'cancelled',
  'ended',
] as const;
export type SessionState = (typeof SESSION_STATES)[number];

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
  /** A session's upload, in bytes, while the customer waits. */
  z.object({
    type: z.literal('session-progress'),
    sessionId: SessionIdSchema,
    sent: z.number().int(),
    total: z.number().int(),
  }),
  z.object({
    type: z.literal('session-state'),
    sessionId: SessionIdSchema,
    state: z.enum(SESSION_STATES),
  }),
  /** The console closed itself (idle, or a customer's way started): back to the attract screen. */
  SignedOutEventSchema,
  /** The kiosk switched between training and real mode (credentials set or removed). */
  z.object({ type: z.literal('mode-changed'), training: z.boolean() }),
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
  getConfig(): Promise<KioskConfig>;
  rememberCamera(label: string): Promise<null>;
  declineConsent(input: CommandInput<'consent:decline'>): Promise<null>;
  startSession(input: CommandInput<'session:start'>): Promise<SessionInfo>;
  /** One guidance frame; send the next when this answers. */
  analyzeFrame(input: CommandInput<'session:analyze-frame'>): Promise<FrameGuidance>;
  /** The full-resolution frame, once per picture (again to retake). */
  capture(input: CommandInput<'session:capture'>): Promise<CaptureReport>;
  verify(sessionId: string): Promise<SessionOutcome>;
  cancelVerification(sessionId: string): Promise<null>;
  endSession(sessionId: string): Promise<null>;
  listPage(input: CommandInput<'queue:list-page'>): Promise<CommandOutput<'queue:list-page'>>;
  staffStatus(): Promise<StaffStatus>;
  setFirstPin(pin: string): Promise<StaffStatus>;
  signIn(pin: string): Promise<SignInResult>;
  signOut(): Promise<null>;
  staffActivity(): Promise<{ signedIn: boolean }>;
  getSettings(): Promise<SettingsView>;
  updateSettings(patch: SettingsPatch): Promise<SettingsView>;
  getCredentials(): Promise<CredentialsView>;
  setCredentials(input: CommandInput<'credentials:set'>): Promise<CredentialsView>;
  removeCredentials(vendor: z.infer<typeof VendorIdSchema>): Promise<CredentialsView>;
  testConnection(vendor: z.infer<typeof VendorIdSchema>): Promise<TestConnectionResult>;
  verifyAudit(): Promise<AuditVerify>;
  exportAudit(range: CommandInput<'audit:export'>): Promise<AuditExport>;
  saveDiagnostics(): Promise<DiagnosticsFile>;
  quitApp(): Promise<null>;
  /** Every queue event as it happens; returns the unsubscribe function. */
  onEvent(listener: (event: KioskEvent) => void): () => void;
}
