/**
 * The closed list of what the audit trail records, and each type's fields: strict zod objects
 * of plain values (string, number, boolean, null), so an unknown field is refused rather than
 * stored, and nothing nested (an image, a vendor body, a credentials object) can ride along.
 *
 * What never goes in: images, secrets (credentials, PINs, the data key) and customer names.
 * Ids, tickets, codes and enums are checked by pattern; the only free text (a setting's old and
 * new value) is short, single-line and refused when it looks like a key or a token.
 */
import { z } from 'zod';
import { API_IDS, VENDOR_IDS } from '../../model/apis.js';
import { CAPTURE_ROLES } from '../../model/guidance.js';
import { JOB_ERROR_CODES } from '../../model/jobs.js';
import { LANGUAGES, SESSION_KINDS } from '../../model/kiosk-settings.js';
import { VERDICTS } from '../../model/result-model.js';

/** An id of ours (session, job, staff member): no spaces, so no one's name fits in it. */
const id = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be an id: 1 to 64 letters, digits, ".", "_" or "-"');
const ticket = z.string().regex(/^[A-Z0-9]{6}$/, 'must be a six-character ticket');
const version = z
  .string()
  .regex(
    /^[A-Za-z0-9.+_-]{1,64}$/,
    'must be a version: 1 to 64 letters, digits, ".", "+", "_" or "-"',
  );
const count = z.int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const isoTime = z.iso.datetime({ offset: false });
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in lower-case hex');
const api = z.enum(API_IDS);
const vendor = z.enum(VENDOR_IDS);

/** Words in a setting's name that say it holds a secret ("kairos.appKey", "staff.pinHash"). */
const SECRET_WORDS = new Set([
  'secret',
  'secrets',
  'password',
  'passwd',
  'passphrase',
  'pin',
  'token',
  'key',
  'credential',
  'credentials',
  'private',
]);

/** Splits "kairos.appKey" or "api_key" into its words and looks for a secret's. */
export function looksLikeSecretName(name: string): boolean {
  return name
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .some((word) => SECRET_WORDS.has(word.toLowerCase()));
}
/**
 * A long run of key-like characters with no space: an API key, a token, base64 of an image.
 * 32 characters: shorter than any of the vendors' keys we know (see docs/vendors.md), longer
 * than our ids, tickets and versions, which have their own fields.
 */
const TOKEN_LIKE = /[A-Za-z0-9+/=_-]{32,}/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A setting's value as staff see it: short, one line, never key-like. */
const plainText = z
  .string()
  .max(200, 'must be at most 200 characters (no images or documents)')
  .refine((text) => !CONTROL.test(text), 'must be one line without control characters')
  .refine((text) => !/^data:/i.test(text), 'must not be a data: URL (no images)')
  .refine(
    (text) => !TOKEN_LIKE.test(text),
    'looks like a key or token: secrets never go in the audit trail',
  );
const settingValue = z.union([plainText, z.number().finite(), z.boolean(), z.null()]);
const settingKey = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z][A-Za-z0-9-]*)*$/,
    'must be a settings key like "idle.resultSeconds"',
  )
  .max(64)
  .refine(
    (key) => !looksLikeSecretName(key),
    'names a secret: credentials are recorded as credentials-changed, never by value',
  );

export const AUDIT_DETAILS = {
  /** The kiosk (or a CLI command that runs the services) started. */
  'app-started': z.strictObject({ version, training: z.boolean() }),
  'app-stopped': z.strictObject({}),
  'session-started': z.strictObject({
    session: id,
    kind: z.enum(SESSION_KINDS),
    api,
    language: z.enum(LANGUAGES),
    training: z.boolean(),
  }),
  /** The consent text `consentVersion` was accepted for `session`. */
  'consent-given': z.strictObject({
    session: id,
    consentVersion: version,
    kind: z.enum(SESSION_KINDS),
    language: z.enum(LANGUAGES),
  }),
  /** Declined: nothing was taken, so there is no session. */
  'consent-declined': z.strictObject({
    consentVersion: version,
    kind: z.enum(SESSION_KINDS),
    language: z.enum(LANGUAGES),
  }),
  /** A picture was taken (its size, never its pixels). */
  captured: z.strictObject({
    session: id,
    role: z.enum(CAPTURE_ROLES),
    width: count,
    height: count,
    bytes: count,
  }),
  /** The pictures went to the vendor: from a customer's session, or a queued job's attempt. */
  sent: z.strictObject({
    session: id.optional(),
    job: id.optional(),
    ticket: ticket.optional(),
    api,
    attempt: count.optional(),
  }),
  /** The verdict the vendor's answer gave. */
  result: z.strictObject({
    session: id.optional(),
    job: id.optional(),
    ticket: ticket.optional(),
    api,
    verdict: z.enum(VERDICTS),
  }),
  /** Kept, encrypted, for later delivery; `reason` is why it was not sent at once. */
  queued: z.strictObject({
    job: id,
    ticket,
    api,
    reason: z.enum(JOB_ERROR_CODES).optional(),
  }),
  /** A queued job's answer came back and was stored. */
  delivered: z.strictObject({ job: id, ticket, api, attempts: count }),
  /** A queued job ended without an answer: discarded by staff, failed, or expired. */
  discarded: z.strictObject({
    job: id,
    ticket,
    api,
    reason: z.enum(JOB_ERROR_CODES),
  }),
  /** Entries up to `throughSeq` were deleted; `lastHash` was the last one's hash. */
  purged: z.strictObject({
    throughSeq: count,
    lastHash: sha256Hex,
    deleted: count,
    before: isoTime,
  }),
  /** A setting changed. Never a secret: those are credentials-changed, without the value. */
  'settings-changed': z.strictObject({
    key: settingKey,
    oldValue: settingValue,
    newValue: settingValue,
    staff: id.optional(),
  }),
  /** A vendor's credential was set or deleted: which one, never its value. */
  'credentials-changed': z.strictObject({
    vendor,
    field: z.enum(['appId', 'appKey', 'apiKey']),
    action: z.enum(['set', 'deleted']),
    staff: id.optional(),
  }),
  'staff-signed-in': z.strictObject({ staff: id }),
  /** A wrong PIN (never the PIN typed). */
  'pin-failed': z.strictObject({ staff: id.optional(), failures: count }),
  'staff-locked-out': z.strictObject({
    staff: id.optional(),
    failures: count,
    until: isoTime.optional(),
  }),
  /** The staff PIN was set: the first time, changed in the console, or reset by IT. */
  'staff-pin-set': z.strictObject({
    how: z.enum(['first', 'changed', 'reset']),
    lockCleared: z.boolean(),
  }),
  /** The console closed: two minutes idle, or signed out (a customer's way started). */
  'staff-signed-out': z.strictObject({ staff: id, reason: z.enum(['idle', 'signed-out']) }),
} as const;

export type AuditType = keyof typeof AUDIT_DETAILS;
export const AUDIT_TYPES = Object.keys(AUDIT_DETAILS) as AuditType[];
export type AuditDetails<T extends AuditType> = z.input<(typeof AUDIT_DETAILS)[T]>;

export function isAuditType(value: string): value is AuditType {
  return Object.hasOwn(AUDIT_DETAILS, value);
}

/**
 * Every detail field of every type, in the order first named above: the CSV export's columns
 * (one per field, so a spreadsheet can filter on a ticket or a staff id).
 */
export const DETAIL_FIELDS: readonly string[] = [
  ...new Set(AUDIT_TYPES.flatMap((type) => Object.keys(AUDIT_DETAILS[type].shape))),
];

/** A stored entry. `details` is the parsed object; its stored text is canonical JSON. */
export interface AuditEntry {
  seq: number;
  /** ISO 8601 UTC, from the kiosk's wall clock. */
  at: string;
  type: AuditType;
  details: Record<string, string | number | boolean | null>;
  prevHash: string;
  hash: string;
}
