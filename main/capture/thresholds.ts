/**
 * Every number the quality gates judge by, with the reason for its value. Live guidance and
 * the final capture read the same numbers, so a frame the UI called "ok" passes at capture.
 *
 * Where a value was set by measurement, the figures are from
 * `BENCH_CALIBRATE=1 npx tsx test/bench/capture.bench.ts` (test/capture/calibration.ts) on the
 * 14 clear faces of the face-api demo photos.
 */
import type { CaptureRole } from './types.js';

export interface GateThresholds {
  /** Detector score under which a box is not reported as a face at all. */
  minFaceScore: number;
  /** Another face counts (multiple-faces) when it is at least this wide relative to the main one. */
  otherFaceMinRelativeWidth: number;
  /** Main face width / frame's shorter side. */
  minSizeRatio: number;
  maxSizeRatio: number;
  /** How far the face centre may sit from the frame centre, as a share of width / height. */
  maxCenterOffsetX: number;
  maxCenterOffsetY: number;
  /** Mean face luma (0..255). */
  minBrightness: number;
  maxBrightness: number;
  /** Luma standard deviation in the face: below it the face is a flat, featureless patch. */
  minContrast: number;
  /** Share of blown-out face pixels (luma >= FACE_SAMPLE.clippedLuma). */
  maxClippedFraction: number;
  /** Variance of the Laplacian on the FACE_SAMPLE-sized face. */
  minSharpness: number;
}

export const SELFIE_GATES: GateThresholds = {
  // face-api's own default for the tiny detector; below it, hands and posters start to count.
  minFaceScore: 0.5,
  // A face under 60% of the customer's width is at least ~1.7x farther away: someone waiting in
  // the queue, not a second person at the kiosk. Vendors match the largest face.
  otherFaceMinRelativeWidth: 0.6,
  // Under 0.2 of the short side the face is under 48 px in a 320x240 guidance frame, where the
  // tiny detector starts missing faces, and under 144 px in a 1280x720 capture (see
  // MIN_SENT_FACE_WIDTH for why ~150 px is the floor).
  minSizeRatio: 0.2,
  // Over 0.7 the forehead or chin leaves a 4:3 frame and a liveness model loses the context
  // around the head (background, shoulders) it uses to tell a screen or a print from a person.
  maxSizeRatio: 0.7,
  // A quarter of the frame either way keeps the whole head in view with the kiosk camera's field
  // of view; beyond it part of the head is usually cut off.
  maxCenterOffsetX: 0.25,
  maxCenterOffsetY: 0.28,
  // Calibrated on 14 demo faces in 320x240 frames: lit faces measure 56-150 (median 130); the
  // same faces at 35% exposure 18-53 (median 48). Under 50 skin texture drowns in sensor noise.
  minBrightness: 50,
  // A face over 215 mean is washed out (window behind the kiosk turned to the face, flash).
  maxBrightness: 215,
  // Lit faces measure 25-56; at 35% exposure 9-19 (median 14). Under 16 the face is a flat
  // patch, too dim (or too fogged) for features to show.
  minContrast: 16,
  // More than 8% of the face at pure white: a lamp reflection or sunlight wipes out features.
  maxClippedFraction: 0.08,
  // Calibrated on 14 demo faces. Live 320x240 frames: sharp faces 79-634 (median 196); blurred
  // by sigma 1.5 px (~9 px at 1080p) 10-34. Final capture (face cut from the 1920x1080 frame):
  // sharp 136-1489 (median 305), blurred by sigma 4 px 44-226 (median 67), by 6 px 18-89
  // (median 32). 40 sits between the blurred maximum (34) and the sharp minimum (79) live, and
  // at capture turns away most blur of 6 px or more.
  minSharpness: 40,
};

/**
 * An ID document held to the camera (or a scan): one portrait on a card, small in the frame,
 * anywhere on the card, behind a laminate that reflects the light.
 */
export const ID_PHOTO_GATES: GateThresholds = {
  ...SELFIE_GATES,
  // Many ID cards print a small ghost copy of the portrait; it is well under 60% of the main
  // portrait's width, so the selfie rule already ignores it.
  otherFaceMinRelativeWidth: 0.6,
  // A card's portrait is ~0.3 of the card's width, so a card filling 60-80% of a 16:9 frame
  // gives a face of 0.2-0.26 of the short side. Under 0.1 the detector (input 608) no longer
  // finds it reliably: measured, a card at 30% of the frame width (face ~0.1) is missed.
  minSizeRatio: 0.1,
  // A tightly cropped portrait (a scanned photo only) is fine.
  maxSizeRatio: 0.95,
  // The portrait sits left on most cards: position does not matter, only that it is in frame.
  maxCenterOffsetX: 0.5,
  maxCenterOffsetY: 0.5,
  // Laminates reflect: 3% of blown-out face pixels already hides an eye or the nose bridge.
  maxClippedFraction: 0.03,
};

export const GATES: Record<CaptureRole, GateThresholds> = {
  selfie: SELFIE_GATES,
  'id-photo': ID_PHOTO_GATES,
};

/** A box within this share of the frame's width or height from the border touches the edge. */
export const EDGE_MARGIN = 0.005;

/** How the face is sampled for brightness and sharpness (face-stats.ts). */
export const FACE_SAMPLE = {
  // 15% in from each side of the detector box: skin and features, not hair and background.
  inset: 0.15,
  // 64 px: the inner face of a face that passes minSizeRatio in a 320x240 frame is ~34-50 px,
  // so 64 is close to 1:1 there, and larger faces are averaged down to the same scale.
  side: 64,
  // JPEG's 8-bit luma tops out at 255; 250 leaves room for compression ringing around white.
  clippedLuma: 250,
};

/** Steadiness across consecutive live frames. */
export const STEADINESS = {
  // Moving less than 6% of the face width between frames (100 ms apart) is natural sway;
  // more, and a 33 ms exposure smears the face by a pixel or more at 1080p.
  maxMovement: 0.06,
  // A face growing or shrinking by more than 8% per frame is walking in or out.
  maxSizeChange: 0.08,
  // Three steady frames (~300 ms at 10 fps) before "ok": long enough that the capture, taken
  // right after, sees the same still face.
  framesNeeded: 3,
  // Frames more than a second apart are not "consecutive": start counting again.
  maxGapMs: 1000,
};

/** What the detector looks at for each role. */
export const ANALYSIS: Record<CaptureRole, { longSide: number; inputSize: number }> = {
  // Guidance frames arrive at ~320x240 and the detector's fastest useful input is 320:
  // ~46 ms per frame on this machine's CPU, inside the 100 ms budget of 10 frames a second.
  selfie: { longSide: 320, inputSize: 320 },
  // A portrait on a card is small; 640 px and a 608 input find faces down to ~25 px at the
  // cost of ~170 ms, paid once per document.
  'id-photo': { longSide: 640, inputSize: 608 },
};
