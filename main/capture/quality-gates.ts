/**
 * From what the detector found and measured to one verdict, by the numbers in thresholds.ts.
 * The same function judges live frames and the final capture.
 */
import type { FaceBox } from '../../model/result-model.js';
import type { FaceStats } from './face-stats.js';
import { guidanceMessage } from './guidance-messages.js';
import { EDGE_MARGIN, GATES, type GateThresholds } from './thresholds.js';
import type { DetectedFace } from './face-model.js';
import type { CaptureRole, FaceMeasurement, Guidance, QualityReport } from './types.js';

/** What the face worker returns for one image. */
export interface Detection {
  /** Largest first, in the coordinates of the analysed image. */
  faces: DetectedFace[];
  /** Measurements of faces[0], null without a face. */
  stats: FaceStats | null;
  analysisWidth: number;
  analysisHeight: number;
  detectMs: number;
}

/**
 * Judges one detection. `size` is the image the report describes (the frame, or the prepared
 * JPEG): boxes are scaled from the analysed image to it. `gates` are the role's thresholds in
 * force (CaptureService passes its own, with the kiosk's settings applied).
 */
export function judgeDetection(
  detection: Detection,
  role: CaptureRole,
  size: { width: number; height: number },
  gates: GateThresholds = GATES[role],
): QualityReport {
  const scale = size.width / detection.analysisWidth;
  const faces = detection.faces.map((face) => toFaceBox(face, scale));
  const main = detection.faces[0];
  const mainFace =
    main === undefined || detection.stats === null
      ? null
      : measurementOf(main, detection, detection.stats, scale);
  const countedFaces =
    main === undefined
      ? 0
      : detection.faces.filter((f) => f.width >= main.width * gates.otherFaceMinRelativeWidth)
          .length;
  const verdict = verdictOf(mainFace, countedFaces, gates);
  return {
    role,
    verdict,
    message: guidanceMessage(role, verdict),
    faces,
    countedFaces,
    mainFace,
    width: size.width,
    height: size.height,
    analysisWidth: detection.analysisWidth,
    analysisHeight: detection.analysisHeight,
    detectMs: detection.detectMs,
  };
}

/** The first problem the person should fix: position before lighting, lighting before focus. */
function verdictOf(face: FaceMeasurement | null, counted: number, gates: GateThresholds): Guidance {
  if (face === null) return 'no-face';
  if (counted > 1) return 'multiple-faces';
  if (face.sizeRatio < gates.minSizeRatio) return 'too-far';
  if (face.sizeRatio > gates.maxSizeRatio) return 'too-close';
  if (
    (face.touchesEdge && !gates.faceMayTouchEdge) ||
    Math.abs(face.centerX - 0.5) > gates.maxCenterOffsetX ||
    Math.abs(face.centerY - 0.5) > gates.maxCenterOffsetY
  ) {
    return 'off-center';
  }
  // A flat face (no contrast) is a lighting problem too; its mean says which way.
  const flat = face.contrast < gates.minContrast;
  if (face.brightness < gates.minBrightness || (flat && face.brightness < 128)) return 'too-dark';
  if (
    face.brightness > gates.maxBrightness ||
    face.clippedFraction > gates.maxClippedFraction ||
    flat
  ) {
    return 'too-bright';
  }
  // Blur is judged last: a dark or badly placed face also measures soft, and fixing those first
  // usually fixes it.
  if (face.sharpness < gates.minSharpness) return 'blurry';
  return 'ok';
}

function measurementOf(
  face: DetectedFace,
  detection: Detection,
  stats: FaceStats,
  scale: number,
): FaceMeasurement {
  const { analysisWidth: w, analysisHeight: h } = detection;
  const marginX = w * EDGE_MARGIN;
  const marginY = h * EDGE_MARGIN;
  return {
    box: toFaceBox(face, scale),
    sizeRatio: face.width / Math.min(w, h),
    centerX: (face.x + face.width / 2) / w,
    centerY: (face.y + face.height / 2) / h,
    touchesEdge:
      face.x <= marginX ||
      face.y <= marginY ||
      face.x + face.width >= w - marginX ||
      face.y + face.height >= h - marginY,
    ...stats,
  };
}

function toFaceBox(face: DetectedFace, scale: number): FaceBox {
  return {
    x: round1(face.x * scale),
    y: round1(face.y * scale),
    width: round1(face.width * scale),
    height: round1(face.height * scale),
    confidence: Math.min(1, Math.max(0, face.score)),
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
