/**
 * The `decision` block of a Kairos biometric answer. The page explains the scores only loosely;
 * the bands below are read from its sample ("Faces do not match; threshold failed:
 * 0.4 < 0.4803 (actual) < 0.56" was a review, liveness 0.0026 against "0.4 < ... < 0.6" a reject):
 * below the low bound rejects, between the bounds goes to review, at or above the high bound passes.
 */
import { roundTo } from './scoring.js';

export interface KairosDecisionDetail {
  code: 'FAILED_FACE_MATCH' | 'FAILED_SELFIE_LIVENESS';
  confidence: number;
  decision: 'review' | 'reject';
  description: string;
}

export interface KairosDecision {
  details: KairosDecisionDetail[];
  reject_score: number;
  review_score: number;
  warning_score: number;
}

interface Band {
  reject: number;
  pass: number;
}

export const FACE_MATCH_BAND: Band = { reject: 0.4, pass: 0.56 };
export const SELFIE_LIVENESS_BAND: Band = { reject: 0.4, pass: 0.6 };

export function kairosDecision(matchConfidence: number, liveness: number): KairosDecision {
  const details: KairosDecisionDetail[] = [];
  if (matchConfidence < FACE_MATCH_BAND.pass) {
    details.push({
      code: 'FAILED_FACE_MATCH',
      confidence: 1,
      decision: matchConfidence < FACE_MATCH_BAND.reject ? 'reject' : 'review',
      description: `Faces do not match; threshold failed: ${bandText(matchConfidence, FACE_MATCH_BAND)}`,
    });
  }
  if (liveness < SELFIE_LIVENESS_BAND.pass) {
    details.push({
      code: 'FAILED_SELFIE_LIVENESS',
      confidence: 1,
      decision: liveness < SELFIE_LIVENESS_BAND.reject ? 'reject' : 'review',
      description: `Selfie liveness threshold failed: ${bandText(liveness, SELFIE_LIVENESS_BAND)}`,
    });
  }
  return {
    details,
    // The sample's scores equal the highest confidence among details of that decision (1, 1, 0).
    reject_score: highestConfidence(details, 'reject'),
    review_score: highestConfidence(details, 'review'),
    // No documented check yields a warning.
    warning_score: 0,
  };
}

/** The sample's wording, kept even when the actual value is below the low bound. */
function bandText(actual: number, band: Band): string {
  return `${band.reject} < ${roundTo(actual, 4)} (actual) < ${band.pass}`;
}

function highestConfidence(
  details: readonly KairosDecisionDetail[],
  decision: KairosDecisionDetail['decision'],
): number {
  return details
    .filter((detail) => detail.decision === decision)
    .reduce((highest, detail) => Math.max(highest, detail.confidence), 0);
}
