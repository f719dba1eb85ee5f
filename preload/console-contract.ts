/**
 * The staff console's half of the contract (preload/contract.ts merges it into COMMANDS):
 * the PIN and the signed-in session, settings, credentials (write-only), test connection, the
 * queue and results lists, and the audit trail. Every command here but the PIN's own needs a
 * signed-in staff member (main/ipc/console-commands.ts); none ever returns a secret, a picture
 * or a customer's name. Pure zod, like contract.ts.
 */
import { z } from 'zod';
import { VENDOR_IDS, API_IDS } from '../model/apis.js';
import { KioskSettingsSchema } from '../model/kiosk-settings.js';

const VendorSchema = z.enum(VENDOR_IDS);

/** Where the console's sign-in stands; never the PIN or its hash. */
export const StaffStatusSchema = z.object({
  /** No PIN yet: the console's first start asks staff to set one. */
  pinSet: z.boolean(),
  /** Wall time (ms) the lock-out ends; null when not locked. */
  lockedUntil: z.number().nullable(),
  /** Wrong PINs left before the lock-out; null without a PIN or while locked. */
  triesLeft: z.number().int().nullable(),
  signedIn: z.boolean(),
  /** The console signs out after this long without a touch. */
  idleMs: z.number().int(),
});
export type StaffStatus = z.infer<typeof StaffStatusSchema>;

export const SignInResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), status: StaffStatusSchema }),
  z.object({
    ok: z.literal(false),
    reason: z.enum(['wrong-pin', 'locked']),
    triesLeft: z.number().int().nullable(),
    lockedUntil: z.number().nullable(),
  }),
]);
export type SignInResult = z.infer<typeof SignInResultSchema>;

/** The settings as the console edits them: the values in force, which the policy locks, problems. */
export const SettingsViewSchema = z.object({
  settings: KioskSettingsSchema,
  /** Setting paths the bank's policy manages (idle.resultSeconds): shown locked. */
  locked: z.array(z.string()),
  /** Why settings.json could not be used (the defaults are in force), or null. */
  problem: z.string().nullable(),
  /** Why the bank's policy file, or part of it, is not applied, or null. */
  policyProblem: z.string().nullable(),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

/**
 * A change from the console: whole top-level keys (a nested group is sent whole). The
 * settings' defaults are taken off first: a key the patch leaves out must stay as it is, not
 * come back as its default (zod fills a default in even under .optional()).
 */
export const SettingsPatchSchema = z
  .object(
    Object.fromEntries(
      Object.entries(KioskSettingsSchema.shape).map(([key, schema]) => [
        key,
        (schema instanceof z.ZodDefault ? schema.unwrap() : schema).optional(),
      ]),
    ) as unknown as {
      [K in keyof typeof KioskSettingsSchema.shape]: z.ZodOptional<
        (typeof KioskSettingsSchema.shape)[K]
      >;
    },
  )
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

const CredentialStateSchema = z.object({
  set: z.boolean(),
  /** When staff or IT last set or removed them (ISO 8601), if this kiosk knows. */
  changedAt: z.string().nullable(),
});

/** What the console learns of the credentials: set or not, and when; never a value. */
export const CredentialsViewSchema = z.object({
  vendors: z.object({ kairos: CredentialStateSchema, 'biometric-kz': CredentialStateSchema }),
  /** The kiosk runs on the embedded emulator (no credentials, or training switched on). */
  training: z.boolean(),
  /** Training is on because the settings (or the policy) say so, not for want of credentials. */
  trainingForced: z.boolean(),
});
export type CredentialsView = z.infer<typeof CredentialsViewSchema>;

/** A credential is visible ASCII; the gateway refuses anything that could not reach the vendor. */
const CredentialSchema = z.string().trim().min(1).max(512);

export const SetCredentialsSchema = z.discriminatedUnion('vendor', [
  z.object({ vendor: z.literal('kairos'), appId: CredentialSchema, appKey: CredentialSchema }),
  z.object({ vendor: z.literal('biometric-kz'), apiKey: CredentialSchema }),
]);

/** Why a test connection failed, as staff can act on it. */
export const CONNECTION_PROBLEMS = [
  /** The vendor refused the credentials: check the key. */
  'bad-key',
  /** The account's quota or rate is used up: call the vendor or wait. */
  'quota',
  /** The vendor answered with an error of its own, or something we cannot read. */
  'vendor-down',
  /** The vendor could not be reached: the branch's network, a proxy, or the address. */
  'no-network',
  /** No credentials are set for this vendor (outside training). */
  'no-credentials',
] as const;
export type ConnectionProblem = (typeof CONNECTION_PROBLEMS)[number];

export const TestConnectionResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    vendor: VendorSchema,
    api: z.enum(API_IDS),
    /** The address the request went to (no credentials in it). */
    endpoint: z.string(),
    /** The vendor's words for the built-in test picture (it has no face: a refusal is right). */
    answer: z.string(),
    /** The vendor's request id, when it gave one. */
    requestId: z.string().nullable(),
    ms: z.number(),
    training: z.boolean(),
  }),
  z.object({
    ok: z.literal(false),
    vendor: VendorSchema,
    endpoint: z.string(),
    problem: z.enum(CONNECTION_PROBLEMS),
    message: z.string(),
    ms: z.number(),
    training: z.boolean(),
  }),
]);
export type TestConnectionResult = z.infer<typeof TestConnectionResultSchema>;

/** The two lists of the console: what waits (the queue) and what is finished (the results). */
export const JOB_LISTS = ['queue', 'results'] as const;
export type JobList = (typeof JOB_LISTS)[number];

export const ListPageInputSchema = z.object({
  list: z.enum(JOB_LISTS),
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(500),
  /** Only jobs whose ticket starts with this (dashes, spaces and case ignored). */
  ticket: z.string().max(32).optional(),
});

export const AuditVerifySchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    entries: z.number().int(),
    firstSeq: z.number().int().nullable(),
    lastSeq: z.number().int().nullable(),
    headHash: z.string(),
  }),
  z.object({
    ok: z.literal(false),
    seq: z.number().int(),
    problem: z.string(),
    reason: z.string(),
    entriesChecked: z.number().int(),
  }),
]);
export type AuditVerify = z.infer<typeof AuditVerifySchema>;

const DayRegex = /^\d{4}-\d{2}-\d{2}$/;
export const AuditExportInputSchema = z
  .object({
    /** First day, inclusive (YYYY-MM-DD, the kiosk's UTC day). */
    from: z.string().regex(DayRegex),
    /** Last day, inclusive. */
    to: z.string().regex(DayRegex),
  })
  .refine((range) => range.from <= range.to, { message: 'from must not be after to' });

export const AuditExportSchema = z.object({
  /** RFC 4180 CSV, formula cells escaped (main/audit/audit-csv.ts). */
  csv: z.string(),
  rows: z.number().int(),
  fileName: z.string(),
});
export type AuditExport = z.infer<typeof AuditExportSchema>;

export const SignedOutEventSchema = z.object({
  type: z.literal('staff-signed-out'),
  reason: z.enum(['idle', 'signed-out']),
});

/** "Save diagnostics": the .tar.gz (main/diagnostics/), base64 for the page to save as a file. */
export const DiagnosticsFileSchema = z.object({
  fileName: z.string(),
  base64: z.string(),
  bytes: z.number().int(),
});
export type DiagnosticsFile = z.infer<typeof DiagnosticsFileSchema>;
