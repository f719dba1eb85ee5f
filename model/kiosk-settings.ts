/**
 * The kiosk's settings: what the customer's way through reads (languages, session types,
 * timeouts, the face-size gates for the walk-up distance). One zod schema with a default for
 * every key, so a settings file that names only what it changes is complete once parsed, and a
 * file that does not parse falls back to these defaults (main/settings/).
 */
import { z } from 'zod';
import { API_IDS } from './apis.js';
import { DEFAULT_QUALITY_SETTINGS, QualitySettingsSchema } from './quality-settings.js';

/** The languages the kiosk speaks, in the order the attract screen offers them. */
export const LANGUAGES = ['en', 'ru', 'kk'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What a customer's session verifies. */
export const SESSION_KINDS = ['liveness', 'liveness-and-match'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** The consent text shown now; a new wording gets a new version (renderer catalogue keys too). */
export const CONSENT_TEXT_VERSION = '2026-12';

/** An API address: https, or http only to this machine (an emulator or a test). */
const BaseUrlSchema = z
  .string()
  .max(512)
  .url()
  .refine(
    (value) => {
      const url = new URL(value);
      if (url.protocol === 'https:') return true;
      return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    },
    { message: 'must be an https:// address (http:// only for this machine)' },
  );

const LivenessApiSchema = z.enum(API_IDS).exclude(['kairos-biometric-v0.1']);

export const KioskSettingsSchema = z.object({
  version: z.literal(1).default(1),
  /** Which vendor API each session type uses. */
  apis: z
    .object({
      liveness: LivenessApiSchema.default('kairos-liveness-v0.2'),
      'liveness-and-match': z.literal('kairos-biometric-v0.1').default('kairos-biometric-v0.1'),
    })
    .default({ liveness: 'kairos-liveness-v0.2', 'liveness-and-match': 'kairos-biometric-v0.1' }),
  defaultSessionKind: z.enum(SESSION_KINDS).default('liveness'),
  /** 0..1: Kairos calls a selfie live when its score reaches this. 0.6 is Kairos's example. */
  livenessThreshold: z.number().min(0).max(1).default(0.6),
  languages: z
    .array(z.enum(LANGUAGES))
    .min(1)
    .default([...LANGUAGES]),
  defaultLanguage: z.enum(LANGUAGES).default('en'),
  idle: z
    .object({
      /**
       * 30 s on a result: long enough to read it twice; the next customer should not see it.
       */
      resultSeconds: z.number().int().min(5).max(600).default(30),
      /** 90 s elsewhere: reading the consent text aloud takes about a minute. */
      otherSeconds: z.number().int().min(10).max(1800).default(90),
    })
    .default({ resultSeconds: 30, otherSeconds: 90 }),
  capture: z
    .object({
      /**
       * Selfie face width / the frame's shorter side: under the minimum the customer is asked
       * to come closer, over the maximum to step back. A customer stands 40-80 cm from a kiosk
       * camera: with a 16:9 webcam of 70-80 degrees, a 15 cm face measures about 0.2 of the
       * short side at 80 cm, 0.4-0.45 at 40 cm, 0.11 at 150 cm and 0.64 at 25 cm. The detector
       * measured 0.17-0.22 at 80 cm and 0.33-0.47 at 40 cm on the demo faces, so 0.16-0.55
       * passes the whole range and turns away 150 cm and 25 cm. The same numbers as
       * SELFIE_GATES in main/capture/thresholds.ts (a test keeps them equal); a narrower or
       * wider lens moves them.
       */
      selfieMinFaceRatio: z.number().min(0.05).max(0.9).default(0.16),
      selfieMaxFaceRatio: z.number().min(0.1).max(1).default(0.55),
      /** Steady "good" frames for this long before the kiosk captures by itself. */
      autoCaptureSteadyMs: z.number().int().min(300).max(5000).default(1000),
      /** The manual capture button appears after this long, for staff-assisted cases. */
      manualCaptureAfterSeconds: z.number().int().min(0).max(120).default(6),
    })
    .refine((capture) => capture.selfieMinFaceRatio < capture.selfieMaxFaceRatio, {
      message: 'selfieMinFaceRatio must be under selfieMaxFaceRatio',
      path: ['selfieMinFaceRatio'],
    })
    .default({
      selfieMinFaceRatio: 0.16,
      selfieMaxFaceRatio: 0.55,
      autoCaptureSteadyMs: 1000,
      manualCaptureAfterSeconds: 6,
    }),
  /** The camera to use, by the label the OS gives it; null: the first one found. */
  camera: z.string().max(256).nullable().default(null),
  /**
   * Each vendor's API address; null: the vendor's own (model/apis.ts DEFAULT_BASE_URL). A bank
   * that routes vendor traffic through its own gateway sets it here (https only, or a
   * loopback address for a test).
   */
  baseUrls: z
    .object({
      kairos: BaseUrlSchema.nullable().default(null),
      'biometric-kz': BaseUrlSchema.nullable().default(null),
    })
    .default({ kairos: null, 'biometric-kz': null }),
  /**
   * Days a delivered or ended verification, with its result, stays on the kiosk for staff to
   * look up by ticket; then it is purged, and audit entries older than this too. 30 days covers
   * a month's complaints; a bank's own rules may ask for less.
   */
  retentionDays: z.number().int().min(1).max(3650).default(30),
  /**
   * Days an undelivered verification may wait in the queue before it expires (the customer
   * is asked to come back). 3 days rides out a long weekend's outage; a consent is not
   * open-ended.
   */
  maxQueueDays: z.number().min(0.5).max(30).default(3),
  /**
   * The event log for IT (logs/kiosk-verify.log): rotated past this size, this many files kept
   * (the current one included). 5 MB x 5: weeks of a busy kiosk, 25 MB of disk at most. Read at
   * start.
   */
  log: z
    .object({
      maxFileMegabytes: z.number().min(0.1).max(100).default(5),
      keepFiles: z.number().int().min(1).max(20).default(5),
    })
    .default({ maxFileMegabytes: 5, keepFiles: 5 }),
  /**
   * The face quality measures' thresholds (head pose, eyes open, even light, exposure, the
   * distance between the eyes): model/quality-settings.ts, each with its reason.
   */
  quality: QualitySettingsSchema.default(DEFAULT_QUALITY_SETTINGS),
  /** Force training mode even with credentials set (staff practice on a live kiosk). */
  training: z.boolean().default(false),
});
export type KioskSettings = z.infer<typeof KioskSettingsSchema>;

export const DEFAULT_KIOSK_SETTINGS: KioskSettings = KioskSettingsSchema.parse({});
