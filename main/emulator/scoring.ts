/**
 * Scores the emulator reports. Derived from the decoded pixels, so the same picture always gets
 * the same score (however it was compressed), and tests can force any score per API.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ApiId } from '../../model/apis.js';

/**
 * Training mode should mostly pass: the documents' example threshold is 0.6, so unforced
 * liveness lands in 0.62..0.99 and the face match above the 0.56 the biometric sample treats as
 * a match. Scores are rounded to 4 decimals like the Kairos samples.
 */
const LIVENESS_RANGE = { min: 0.62, max: 0.99 };
const MATCH_RANGE = { min: 0.6, max: 0.97 };

export const ForcedScoresSchema = z.strictObject({
  liveness: z.number().min(0).max(1).optional(),
  matchConfidence: z.number().min(0).max(1).optional(),
});

/** Scores a test pins for one API; an absent score stays deterministic. */
export type ForcedScores = z.infer<typeof ForcedScoresSchema>;

/** SHA-256 of an image's decoded pixels, with its size so a reshaped buffer differs. */
export function hashPixels(pixels: Buffer, width: number, height: number): Buffer {
  return createHash('sha256').update(`${width}x${height}:`).update(pixels).digest();
}

export function deterministicLiveness(selfiePixelHash: Buffer): number {
  return inRange(unitInterval(selfiePixelHash), LIVENESS_RANGE);
}

/** Deterministic for the (selfie, ID photo) pair, in that order. */
export function deterministicMatch(selfiePixelHash: Buffer, imagePixelHash: Buffer): number {
  const pairHash = createHash('sha256').update(selfiePixelHash).update(imagePixelHash).digest();
  return inRange(unitInterval(pairHash), MATCH_RANGE);
}

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** First 32 bits of a hash as a number in [0, 1). */
function unitInterval(hash: Buffer): number {
  return hash.readUInt32BE(0) / 2 ** 32;
}

function inRange(unit: number, range: { min: number; max: number }): number {
  return roundTo(range.min + unit * (range.max - range.min), 4);
}

/** Forced scores per API, set by tests and by POST /__emulator/scores. */
export class ScoreBook {
  readonly #forced = new Map<ApiId, ForcedScores>();

  /** Replaces the API's forced scores; `{}` returns it to deterministic scores. */
  set(api: ApiId, scores: unknown): ForcedScores {
    const parsed = ForcedScoresSchema.parse(scores);
    if (Object.keys(parsed).length === 0) this.#forced.delete(api);
    else this.#forced.set(api, parsed);
    return parsed;
  }

  get(api: ApiId): ForcedScores {
    return { ...(this.#forced.get(api) ?? {}) };
  }

  clear(): void {
    this.#forced.clear();
  }
}
