/**
 * Kairos IDV Biometric Verification v0.1 (docs/vendors.md):
 * selfie vs. the ID document's photo, with the selfie's liveness and a decision.
 */
import type { ApiAdapter } from './api-adapter.js';
import { kairosAuthHeaders } from './kairos-liveness.js';
import {
  KairosBiometricBodySchema,
  facesFromKairos,
  sizeFromKairos,
  type KairosBiometricBody,
} from './kairos-schemas.js';
import type { MatchDecision } from '../../model/result-model.js';
import type { MatchRequest } from '../../model/request.js';

/** Any reject detail or score rejects; any review asks staff; otherwise the match stands. */
function decisionOf(decision: KairosBiometricBody['response_data']['decision']): MatchDecision {
  const verdicts = decision.details.map((detail) => detail.decision.toLowerCase());
  if (decision.reject_score > 0 || verdicts.includes('reject')) return 'reject';
  if (decision.review_score > 0 || verdicts.includes('review')) return 'review';
  return 'approve';
}

export const kairosBiometricAdapter: ApiAdapter<MatchRequest> = {
  encode(request, credentials) {
    const fields: [string, MatchRequest['selfie'] | string][] = [
      ['selfie', request.selfie],
      ['image', request.image],
    ];
    // Optional on the page, default false: only sent when asked for.
    if (request.multiface) fields.push(['image_multiface', 'true']);
    return {
      headers: { accept: 'application/json', ...kairosAuthHeaders(credentials, false) },
      fields,
    };
  },
  normalize(body, request, context) {
    const parsed = KairosBiometricBodySchema.parse(body);
    const { biometric, decision } = parsed.response_data;
    const score = biometric.selfie.faces_liveness;
    return {
      kind: 'match',
      vendor: 'kairos',
      api: 'kairos-biometric-v0.1',
      requestId: parsed.api_req_uid,
      receivedAt: context.receivedAt.toISOString(),
      liveness: { score, threshold: request.threshold, live: score >= request.threshold },
      faces: facesFromKairos(biometric.selfie.faces_predicted),
      imageSize: sizeFromKairos(biometric.selfie.img),
      match: {
        confidence: biometric.face_match_confidence,
        decision: decisionOf(decision),
        reasons: decision.details.map((detail) => ({
          code: detail.code,
          decision: detail.decision,
          confidence: detail.confidence ?? null,
          description: detail.description,
        })),
        rejectScore: decision.reject_score,
        reviewScore: decision.review_score,
        warningScore: decision.warning_score,
        idImage: {
          faces: facesFromKairos(biometric.image.faces_predicted),
          size: sizeFromKairos(biometric.image.img),
        },
      },
      failureReason: null,
      vendorResponseCode: parsed.response_code ?? null,
      raw: body,
    };
  },
};
