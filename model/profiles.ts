/**
 * What each vendor API accepts, as data. The capture pipeline prepares images to fit these
 * rules and the emulator enforces the documented ones, so both read the same numbers.
 */
import type { ApiId } from './apis.js';

export type ImageFormat = 'jpeg' | 'png';

export interface ImageRule {
  /** Shortest side we may send, in px. */
  minShortSide: number;
  /** Longest side we may send, in px. */
  maxLongSide: number;
  /** Whether minShortSide comes from the vendor's page (enforced by the emulator) or is ours. */
  minDocumented: boolean;
  maxDocumented: boolean;
  /** The vendor's recommendation for the shortest side, when it gives one. */
  recommendedShortSide: number | null;
  /** Formats the vendor accepts, by content. */
  formats: readonly ImageFormat[];
  /** File-name extensions the vendor accepts (biometric.kz checks the multipart file name). */
  extensions: readonly string[] | null;
}

export interface VendorProfile {
  api: ApiId;
  selfie: ImageRule;
  /** The ID document's photo page, for the face match only. */
  idPhoto: ImageRule | null;
  /** Longest side the pipeline scales a larger capture down to. */
  targetLongSide: number;
}

/**
 * No documented minimum (Kairos v0.1, biometric.kz): 240 px on the short side keeps a face that
 * fills a third of the frame at about 80 px, the smallest face common detectors still find
 * reliably; below that a liveness model has nothing to look at.
 */
const UNDOCUMENTED_MIN_SHORT_SIDE = 240;
/** No documented maximum: Kairos v0.2's 5000 px is the only stated ceiling, so use it everywhere. */
const UNDOCUMENTED_MAX_LONG_SIDE = 5000;

/** A rule with nothing documented: our minimum, the only stated ceiling, JPEG or PNG. */
const UNDOCUMENTED_RULE: ImageRule = {
  minShortSide: UNDOCUMENTED_MIN_SHORT_SIDE,
  maxLongSide: UNDOCUMENTED_MAX_LONG_SIDE,
  minDocumented: false,
  maxDocumented: false,
  recommendedShortSide: null,
  formats: ['jpeg', 'png'],
  extensions: null,
};

/** Biometric v0.1 page: "The image size must be at least 480x480 pixels" (selfie and image). */
const KAIROS_BIOMETRIC_RULE: ImageRule = {
  ...UNDOCUMENTED_RULE,
  minShortSide: 480,
  minDocumented: true,
};

export const VENDOR_PROFILES: Record<ApiId, VendorProfile> = {
  'kairos-liveness-v0.1': {
    api: 'kairos-liveness-v0.1',
    selfie: UNDOCUMENTED_RULE,
    idPhoto: null,
    targetLongSide: 1280,
  },
  // v0.2 page: "selfie — minimum 300 px, recommended > 900 px, maximum 5000 px".
  'kairos-liveness-v0.2': {
    api: 'kairos-liveness-v0.2',
    selfie: {
      ...UNDOCUMENTED_RULE,
      minShortSide: 300,
      maxLongSide: 5000,
      minDocumented: true,
      maxDocumented: true,
      recommendedShortSide: 900,
    },
    idPhoto: null,
    targetLongSide: 1280,
  },
  'kairos-biometric-v0.1': {
    api: 'kairos-biometric-v0.1',
    selfie: KAIROS_BIOMETRIC_RULE,
    idPhoto: KAIROS_BIOMETRIC_RULE,
    targetLongSide: 1280,
  },
  // biometric.kz: "Not allowed file, valid extensions: .jpg .png .jpeg" (415).
  'biometric-kz-liveness-short': {
    api: 'biometric-kz-liveness-short',
    selfie: { ...UNDOCUMENTED_RULE, extensions: ['.jpg', '.jpeg', '.png'] },
    idPhoto: null,
    targetLongSide: 1280,
  },
};
