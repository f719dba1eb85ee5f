/**
 * How big the JPEG we send is: inside the vendor's rules, never upscaled, and downscaled toward
 * the profile's target, but never so far that the face loses what a face matcher uses.
 */
import { API_DISPLAY_NAME } from '../../model/apis.js';
import type { ImageRule, VendorProfile } from '../../model/profiles.js';
import { CaptureError } from './capture-error.js';
import type { CaptureRole } from './types.js';

/**
 * Faces are never sent narrower than this (when the source has the pixels). Measured with
 * face-api's face-recognition model on 14 demo faces (test/capture/calibration.ts): distance
 * of the face's descriptor from the full-size face's, median by face width: 64 px 0.172,
 * 80 px 0.124, 100 px 0.110, 128 px 0.081, 160 px 0.066, 200 px 0.064 (0.6 separates two
 * people). From 160 px it is flat: more pixels buy a matcher nothing, only upload seconds.
 */
export const MIN_SENT_FACE_WIDTH = 160;

export interface SourceSize {
  kind: 'frame' | 'file';
  width: number;
  height: number;
}

export interface OutputSize {
  width: number;
  height: number;
  notes: string[];
}

/** The rule for this role, or a typed error when the API takes no such image. */
export function ruleFor(profile: VendorProfile, role: CaptureRole): ImageRule {
  if (role === 'selfie') return profile.selfie;
  if (profile.idPhoto === null) {
    throw new CaptureError(
      'role-not-accepted',
      `${API_DISPLAY_NAME[profile.api]} takes no ID photo. Use Kairos biometric for a face match.`,
    );
  }
  return profile.idPhoto;
}

/** Refuses a source below the vendor's minimum, before any decoding or detection. */
export function checkMinimum(source: SourceSize, rule: ImageRule, profile: VendorProfile): void {
  if (Math.min(source.width, source.height) >= rule.minShortSide) return;
  const what = source.kind === 'frame' ? 'The camera gives' : 'The image is';
  const fix =
    source.kind === 'frame'
      ? 'Set the kiosk camera to a higher resolution.'
      : 'Scan or photograph it at a higher resolution.';
  throw new CaptureError(
    'below-minimum',
    `${what} ${source.width}x${source.height}; ${API_DISPLAY_NAME[profile.api]} needs at least ${rule.minShortSide}x${rule.minShortSide}. ${fix}`,
  );
}

/**
 * The output size for `source`. `faceWidth` (source pixels) keeps the face at
 * MIN_SENT_FACE_WIDTH where the source allows; null before the face is known.
 */
export function chooseOutputSize(
  source: SourceSize,
  rule: ImageRule,
  profile: VendorProfile,
  faceWidth: number | null,
): OutputSize {
  checkMinimum(source, rule, profile);
  const long = Math.max(source.width, source.height);
  const short = Math.min(source.width, source.height);
  const wanted = Math.max(
    profile.targetLongSide / long,
    (rule.recommendedShortSide ?? 0) / short,
    faceWidth === null || faceWidth <= 0 ? 0 : MIN_SENT_FACE_WIDTH / faceWidth,
  );
  let scale = Math.min(1, wanted, rule.maxLongSide / long);
  if (short * scale < rule.minShortSide) {
    scale = rule.minShortSide / short;
    if (long * scale > rule.maxLongSide) {
      throw new CaptureError(
        'bad-aspect-ratio',
        `The image is ${source.width}x${source.height}: too long and narrow to fit ${API_DISPLAY_NAME[profile.api]}'s limits (${rule.minShortSide} to ${rule.maxLongSide} px). Crop it to the photo page.`,
      );
    }
  }
  const width = Math.max(1, Math.round(source.width * scale));
  const height = Math.max(1, Math.round(source.height * scale));
  const notes: string[] = [];
  if (rule.recommendedShortSide !== null && Math.min(width, height) < rule.recommendedShortSide) {
    notes.push(
      `${Math.min(width, height)} px on the short side is under ${API_DISPLAY_NAME[profile.api]}'s recommended ${rule.recommendedShortSide} px (the source has no more).`,
    );
  }
  return { width, height, notes };
}
