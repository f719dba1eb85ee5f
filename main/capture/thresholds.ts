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
  /** Whether a face box reaching the picture's edge is accepted (otherwise: off-center). */
  faceMayTouchEdge: boolean;
}

export const SELFIE_GATES: GateThresholds = {
  // face-api's own default for the tiny detector; below it, hands and posters start to count.
  minFaceScore: 0.5,
  // A face under 60% of the customer's width is at least ~1.7x farther away: someone waiting in
  // the queue, not a second person at the kiosk. Vendors match the largest face.
  otherFaceMinRelativeWidth: 0.6,
  // The walk-up distance, 40-80 cm from the kiosk camera. A 15 cm face, with a camera whose
  // shorter side spans ~50 degrees (a 16:9 webcam of ~80 degrees across), is ~16/d of the short
  // side at d cm: 0.2 at 80 cm, 0.27 at 60, 0.4 at 40 (0.45 with a 70-degree 16:9 webcam), 0.11
  // at 150, 0.64 at 25 (test/helpers/faces.ts, faceShareAt).
  // Measured on the 14 demo faces in 320x180 and 320x240 guidance frames (calibration.ts,
  // distanceSweep), the detector's box is 0.17-0.22 at 80 cm and 0.10-0.14 at 150 cm. 0.16
  // sits between: 40-80 cm is "ok" (82 of 84 frames at 40, 60 and 80 cm; the other two found
  // no face in 320x180), and from ~1 m on the customer is told to come closer (150 cm: 22 of 28
  // "too-far", 5 no face found). The old 0.2 told some at 80 cm to come closer. At 0.16 the
  // face is ~170 px in a 1920x1080 capture (MIN_SENT_FACE_WIDTH is 160), ~115 px at 1280x720.
  // Kiosk setting capture.selfieMinFaceRatio (model/kiosk-settings.ts) has the same default.
  // Re-measured with BlazeFace, the kiosk's detector since (.tmp sweep of the 14 faces, both
  // frame shapes): 0.16-0.23 at 80 cm (all but one face "ok"; the other saw a second face in
  // its crop), 0.08-0.14 at 150 cm ("too-far" for every face found, none "no face").
  minSizeRatio: 0.16,
  // Measured 0.33-0.47 at 40 cm and 0.47-0.80 (21 of 28 over 0.55) at 25 cm. 0.55 passes 40 cm,
  // even with a narrower lens (0.45), and asks most people at 25 cm or closer to step back,
  // before the forehead or chin leaves the frame (over ~0.7), where a liveness model loses the
  // context around the head it uses to tell a screen or a print from a person.
  // Kiosk setting capture.selfieMaxFaceRatio has the same default.
  // BlazeFace: 0.32-0.45 at 40 cm, 0.49-0.72 at 25 cm (11-12 of 14 faces over 0.55).
  maxSizeRatio: 0.55,
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
  // Calibrated on 14 demo faces. Live 320x240 frames, face 0.35 of the height: sharp 73-664
  // (median 196); blurred by sigma 1.5 px (~9 px at 1080p) 9-54 (median 20). Smaller faces, as
  // far as 80 cm (face-stats.ts scales them for their enlargement): sharp 50-341, blurred by
  // 1 px (6 px at 1080p) 12-30 in 320x180 frames. Final capture (face cut from the 1920x1080
  // frame): sharp 114-1459 (median 306), blurred by sigma 4 px 27-233 (median 66), by 6 px
  // 18-92 (median 31). 40 sits under every sharp face live, over all but one blurred one, and
  // at capture turns away most blur of 6 px or more.
  minSharpness: 40,
  // A face box at the edge of a selfie means part of the head is out of the picture.
  faceMayTouchEdge: false,
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
  // gives a face of 0.2-0.26 of the short side. Under 0.1 (a card at ~30% of the frame width)
  // the detector no longer finds it reliably: at 0.1 it finds 9-11 of the 14 demo faces, at
  // 0.133 13-14 (ANALYSIS below).
  minSizeRatio: 0.1,
  // A tightly cropped portrait (a scanned photo only) is fine: the detector finds 13-14 of the
  // 14 faces at 0.9 of the short side (ANALYSIS below).
  maxSizeRatio: 0.95,
  // The portrait sits left on most cards: position does not matter, only that it is in frame.
  maxCenterOffsetX: 0.5,
  maxCenterOffsetY: 0.5,
  // Laminates reflect: 3% of blown-out face pixels already hides an eye or the nose bridge.
  maxClippedFraction: 0.03,
  // A scanned portrait cropped tight to the head (0.9 of the short side) fills the picture:
  // the detector's box (forehead to chin, a little wider than the face) then reaches the edge,
  // and that is the document, not a head half out of view.
  faceMayTouchEdge: true,
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
  // 64 px: the inner face of a selfie that passes the size gates in a guidance frame is ~20-90
  // px (70% of 0.16-0.55 of 180-240 px), so 64 is close to 1:1 in the middle of the range.
  // Larger faces are averaged down to it; smaller ones are enlarged, and their sharpness scaled
  // back for it (face-stats.ts).
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

/**
 * The kiosk's detector is BlazeFace (blazeface-detector.ts): it reads `longSide` (the analysed
 * image) and ignores `passes`, which are the tiny face detector's (tiny-face-detector.ts, kept
 * for the side-by-side benchmark). BlazeFace's input is always 256x256 (the image padded to a
 * square), so one run covers every face size; on the same 14 demo faces it found 14 of 14 at
 * 0.1, 0.16, 0.3, 0.55 and 0.9 of the short side in 320x240 and 640x480 frames, and 10 of 14
 * at 0.1 in 320x180 (14 from 0.16), in 23-33 ms per frame.
 *
 * What the tiny detector looks at for each role: the analysed image (at most `longSide` px on its
 * longer side; guidance frames arrive at 320) and the detector's passes over it, each given as
 * the shorter side, in pixels, the image is scaled to for that pass (tiny-face-detector.ts).
 *
 * One pass finds faces of ~45-160 px at its scale (measured on the demo faces: 45-50 px 83%,
 * 50-120 px 91-99%, 120-160 px 80%, 200-250 px 70%, over 300 px 31%): about a 3.5x range of
 * face sizes. One square input, as before, cannot cover a small portrait and a portrait filling
 * the picture: at 608 a scanned portrait of 0.9 of the short side was found in 2-5 of 14 faces
 * ("No portrait found on the document", while the same file at 320 passed as a selfie); at 320
 * a customer at 80 cm (0.2) in a 320x180 frame in 4 of 14. A big pass finds the small faces, a
 * small one the large ones, and a face found by both is merged into the surer box.
 *
 * Faces found, of the 14 demo faces, by face width / short side (calibration.ts,
 * detectionSweep; files analysed at 640 px):
 *                                 0.1  0.133  0.2  0.267  0.4  0.5  0.65  0.8  0.9
 *   320x180  before (square 320)    0     0     4     12   13   11    12   10   12
 *            selfie [450, 180]      6     9    13     13   13   12    13   11   12
 *   320x240  before (square 320)    0     1    12     13   14   13    12   10   11
 *            selfie [450, 180]     10    14    12     13   14   13    11   12   12
 *   320x180  before (square 608)    3    13    14     14   12   11    13    8    4
 *            id [450, 180, 112]     6     9    13     13   14   14    14   13   14
 *   1280x720 before (square 608)    5    13    14     14   11   11    12    9    5
 *            id [450, 180, 112]    10    14    12     13   13   14    14   13   14
 *   1280x960 before (square 608)   13    14    13     12   10   11     5    7    3
 *            id [450, 180, 112]     9    14    13     14   14   14    14   13   14
 *   960x1280 before (square 608)   11    13    11     12    9    9     8    5    2
 *            id [450, 180, 112]    11    13    14     13   14   14    14   13   13
 * Faces of 0.1-0.13 are found unevenly: ~20 px in a 320-px frame, a pixel of framing more or
 * less changes the count.
 *
 * Time per frame on this machine (2 cores, tfjs WASM, one thread), measured with other work
 * running: [450, 180] 16:9 ~85 ms, 4:3 ~70 ms; [450, 180, 112] ~90 and ~75 ms. Inside the 100
 * ms of a frame at 10 frames a second because the detector runs each pass at the image's own
 * aspect ratio instead of padded to a square as face-api does: face-api's 608 input on a 16:9
 * frame took 105 ms, the same scale unpadded 37 ms.
 */
export const ANALYSIS: Record<CaptureRole, { longSide: number; passes: readonly number[] }> = {
  // 450: a face at 150 cm (0.11 of the short side, ~19 px in a 320x180 frame) measures ~50 px
  // there, where the detector starts finding faces reliably, so "move closer" rather than
  // "no face". 180: faces from ~0.25 (45 px) to the 25 cm face (0.64, ~115 px) and beyond.
  // The capture analyses the full frame at the guidance frame's size, so live guidance and the
  // capture see the same scale.
  selfie: { longSide: 320, passes: [450, 180] },
  // The same two passes, and 112 for a portrait filling the picture (0.8-0.9 of the short side
  // is 90-100 px there; at 180, 145-160 px, where the detector misses one face in five). 640 px:
  // a file's or capture's portrait of 0.1 keeps ~36-48 real pixels before the 450 pass.
  'id-photo': { longSide: 640, passes: [450, 180, 112] },
};
