/**
 * One result model for every vendor API, so the queue, the session and the UI never branch
 * on the vendor. Pure zod + types: the renderer imports it too (no Node APIs here).
 */
import { z } from 'zod';
import { API_IDS, VENDOR_IDS } from './apis.js';

export const FaceBoxSchema = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number(),
  height: z.number(),
  /** Detector confidence 0..1. */
  confidence: z.number().min(0).max(1),
});
export type FaceBox = z.infer<typeof FaceBoxSchema>;

export const ImageSizeSchema = z.object({ width: z.number(), height: z.number() });
export type ImageSize = z.infer<typeof ImageSizeSchema>;

export const MatchReasonSchema = z.object({
  code: z.string(),
  decision: z.string(),
  confidence: z.number().nullable(),
  description: z.string(),
});
export type MatchReason = z.infer<typeof MatchReasonSchema>;

export const MatchDecisionSchema = z.enum(['approve', 'review', 'reject']);
export type MatchDecision = z.infer<typeof MatchDecisionSchema>;

export const LivenessSchema = z.object({
  /** 0..1; higher is more likely a live person. */
  score: z.number().min(0).max(1),
  /** The threshold the verdict was taken against; null when the vendor decides by itself. */
  threshold: z.number().min(0).max(1).nullable(),
  /** Kairos: score >= threshold (their definition). biometric.kz: the vendor's `result`. */
  live: z.boolean(),
});
export type Liveness = z.infer<typeof LivenessSchema>;

export const FaceMatchSchema = z.object({
  confidence: z.number().min(0).max(1),
  decision: MatchDecisionSchema,
  reasons: z.array(MatchReasonSchema),
  rejectScore: z.number(),
  reviewScore: z.number(),
  warningScore: z.number(),
  /** What the vendor found in the ID photo. */
  idImage: z.object({ faces: z.array(FaceBoxSchema), size: ImageSizeSchema.nullable() }),
});
export type FaceMatch = z.infer<typeof FaceMatchSchema>;

export const VerificationResultSchema = z.object({
  kind: z.enum(['liveness', 'match']),
  vendor: z.enum(VENDOR_IDS),
  api: z.enum(API_IDS),
  /** api_req_uid, backend_session_id, or the X-Request-ID header, in that order. */
  requestId: z.string().nullable(),
  /** ISO time the answer reached the kiosk. */
  receivedAt: z.string(),
  liveness: LivenessSchema,
  /** Faces the vendor found in the selfie. */
  faces: z.array(FaceBoxSchema),
  /** The selfie's size as the vendor saw it, when it says. */
  imageSize: ImageSizeSchema.nullable(),
  match: FaceMatchSchema.nullable(),
  /** biometric.kz's failure_reason, kept as sent. */
  failureReason: z.object({ type: z.string(), detail: z.string() }).nullable(),
  /** Kairos response_code: kept, but the documents do not explain it, so nothing builds on it. */
  vendorResponseCode: z.number().nullable(),
  /** The vendor's body as it came, for support. */
  raw: z.unknown(),
});
export type VerificationResult = z.infer<typeof VerificationResultSchema>;

/** What staff and the customer see, derived from a result in one place. */
export const VERDICTS = ['verified', 'staff-review', 'not-verified'] as const;
export type Verdict = (typeof VERDICTS)[number];

export function verdictOf(result: VerificationResult): Verdict {
  if (!result.liveness.live) return 'not-verified';
  if (result.match === null) return 'verified';
  if (result.match.decision === 'reject') return 'not-verified';
  if (result.match.decision === 'review') return 'staff-review';
  return 'verified';
}
