/**
 * biometric.kz Liveness Short answers. The page's samples are not valid JSON (`None`, missing
 * commas); the real service answers JSON with null, which is what this writes.
 */
import { roundTo } from './scoring.js';

/**
 * biometric.kz decides by itself and does not say how; its samples pass at 0.98 and fail at
 * 0.24. Half way is the emulator's choice.
 */
export const BIOMETRIC_KZ_PASS_PREDICTION = 0.5;

export interface BiometricKzBody {
  backend_session_id: string;
  result: boolean;
  /** A decimal written as a string, six places, like "0.982312". */
  prediction: string;
  created_at: string;
  failure_reason: { type: string; detail: string } | null;
}

export function biometricKzBody(
  sessionId: string,
  prediction: number,
  createdAt: Date,
): BiometricKzBody {
  const rounded = roundTo(prediction, 6);
  const result = rounded >= BIOMETRIC_KZ_PASS_PREDICTION;
  return {
    backend_session_id: sessionId,
    result,
    prediction: rounded.toFixed(6),
    created_at: createdAt.toISOString(),
    // "prediciton" is the vendor's spelling; clients may match on it.
    failure_reason: result ? null : { type: 'CALC_RESULT', detail: 'Low overall prediciton' },
  };
}

/** Messages from the page's error table, verbatim. */
export const BIOMETRIC_KZ_ERRORS = {
  noAccess: 'Client does not have access to Liveness technology',
  badExtension: 'Not allowed file, valid extensions: .jpg .png .jpeg',
} as const;
