/**
 * Kairos answer bodies, in the shapes of the samples on the liveness v0.1/v0.2 and biometric v0.1
 * pages (their addresses and what they leave open: docs/vendors.md).
 */
import type { FaceBox } from '../../model/result-model.js';
import { kairosDecision, type KairosDecision } from './kairos-decision.js';
import { roundTo } from './scoring.js';

/** What the emulator saw in one image. */
export interface ImageFindings {
  width: number;
  height: number;
  faces: FaceBox[];
}

interface KairosFace {
  confidence: number;
  /** The samples' delta is the box's size: top_left + delta stays inside the image. */
  delta: { x: number; y: number };
  top_left: { x: number; y: number };
}

interface KairosImage {
  faces_predicted: KairosFace[];
  img: { height: number; width: number };
}

interface KairosEnvelope<Data> {
  api_req_uid: string;
  processed_at: string;
  requested_at: string;
  response_code: number;
  response_data: Data;
}

export interface KairosTiming {
  requestId: string;
  requestedAt: Date;
  processedAt: Date;
}

export function kairosLivenessBody(
  timing: KairosTiming,
  input: { liveness: number; threshold: number; selfie: ImageFindings },
): KairosEnvelope<KairosImage & { faces_liveness: number }> {
  // The pages leave response_code unexplained; the only non-live sample (liveness 0.0) has 2.
  const responseCode = input.liveness >= input.threshold ? 1 : 2;
  return envelope(timing, responseCode, {
    faces_liveness: input.liveness,
    ...kairosImage(input.selfie),
  });
}

export function kairosBiometricBody(
  timing: KairosTiming,
  input: {
    liveness: number;
    matchConfidence: number;
    selfie: ImageFindings;
    image: ImageFindings;
  },
): KairosEnvelope<{
  biometric: {
    face_match_confidence: number;
    image: KairosImage;
    selfie: KairosImage & { faces_liveness: number };
  };
  decision: KairosDecision;
}> {
  // The biometric sample has response_code 1 although both checks failed: keep it constant.
  return envelope(timing, 1, {
    biometric: {
      face_match_confidence: input.matchConfidence,
      image: kairosImage(input.image),
      selfie: { faces_liveness: input.liveness, ...kairosImage(input.selfie) },
    },
    decision: kairosDecision(input.matchConfidence, input.liveness),
  });
}

/** "YYYY-MM-DD HH:MM:SS" in UTC, as the samples print it. */
export function kairosTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function envelope<Data>(
  timing: KairosTiming,
  responseCode: number,
  data: Data,
): KairosEnvelope<Data> {
  return {
    api_req_uid: timing.requestId,
    processed_at: kairosTimestamp(timing.processedAt),
    requested_at: kairosTimestamp(timing.requestedAt),
    response_code: responseCode,
    response_data: data,
  };
}

function kairosImage(findings: ImageFindings): KairosImage {
  return {
    faces_predicted: findings.faces.map((face) => ({
      confidence: roundTo(face.confidence, 4),
      delta: { x: roundTo(face.width, 4), y: roundTo(face.height, 4) },
      top_left: { x: roundTo(face.x, 4), y: roundTo(face.y, 4) },
    })),
    img: { height: findings.height, width: findings.width },
  };
}
