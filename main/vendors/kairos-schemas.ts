/**
 * Kairos response bodies, as the v0.1/v0.2 liveness and biometric pages show them.
 * `delta` is the box's size: every sample's top_left + delta stays inside `img`.
 */
import { z } from 'zod';
import type { FaceBox, ImageSize } from '../../model/result-model.js';

const PointSchema = z.object({ x: z.number(), y: z.number() });

export const KairosFaceSchema = z.object({
  confidence: z.number().min(0).max(1),
  delta: PointSchema,
  top_left: PointSchema,
});

export const KairosImgSchema = z.object({ height: z.number(), width: z.number() });

export const KairosFacesSchema = z.object({
  faces_predicted: z.array(KairosFaceSchema),
  img: KairosImgSchema,
});

export const KairosEnvelopeFields = {
  api_req_uid: z.string().min(1),
  processed_at: z.string().optional(),
  requested_at: z.string().optional(),
  response_code: z.number().nullable().optional(),
};

export const KairosLivenessBodySchema = z.object({
  ...KairosEnvelopeFields,
  response_data: KairosFacesSchema.extend({ faces_liveness: z.number().min(0).max(1) }),
});
export type KairosLivenessBody = z.infer<typeof KairosLivenessBodySchema>;

export const KairosDecisionDetailSchema = z.object({
  code: z.string(),
  confidence: z.number().nullable().optional(),
  decision: z.string(),
  description: z.string().default(''),
});

export const KairosBiometricBodySchema = z.object({
  ...KairosEnvelopeFields,
  response_data: z.object({
    biometric: z.object({
      face_match_confidence: z.number().min(0).max(1),
      image: KairosFacesSchema,
      selfie: KairosFacesSchema.extend({ faces_liveness: z.number().min(0).max(1) }),
    }),
    decision: z.object({
      details: z.array(KairosDecisionDetailSchema),
      reject_score: z.number(),
      review_score: z.number(),
      warning_score: z.number().default(0),
    }),
  }),
});
export type KairosBiometricBody = z.infer<typeof KairosBiometricBodySchema>;

export function facesFromKairos(faces: z.infer<typeof KairosFaceSchema>[]): FaceBox[] {
  return faces.map((face) => ({
    x: face.top_left.x,
    y: face.top_left.y,
    width: face.delta.x,
    height: face.delta.y,
    confidence: face.confidence,
  }));
}

export function sizeFromKairos(img: z.infer<typeof KairosImgSchema>): ImageSize {
  return { width: img.width, height: img.height };
}
