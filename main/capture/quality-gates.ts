/**
 * From what the detector found and measured to one verdict, by the numbers in thresholds.ts.
 * The same function judges live frames and the final capture.
 */
import type { QualitySettings } from '../../model/quality-settings.js';
import type { FaceBox } from '../../model/result-model.js';
import type { LandmarkMeasures } from './face-measures.js';
import type { FaceStats } from './face-stats.js';
import { guidanceMessage } from './guidance-messages.js';
import { EDGE_MARGIN, GATES, type GateThresholds } from './thresholds.js';
import type { DetectedFace } from './face-model.js';
import type {
  CaptureRole,
  FaceMeasurement,
  FaceQualityMeasures,
  Guidance,
  QualityReport,
} from './types.js';

/** What the face worker returns for one image. */
export interface Detection {
  /** Largest first, in the coordinates of the analysed image. */
  faces: DetectedFace[];
  /** Measurements of faces[0], null without a face. */
  stats: FaceStats | null;
  /** The face mesh's measures of faces[0]; null when the mesh did not run. */
  landmarks: LandmarkMeasures | null;
  analysisWidth: number;
  analysisHeight: number;
  detectMs: number;
}

/**
 * Judges one detection. `size` is the image the report describes (the frame, or the prepared
 * JPEG): boxes are scaled from the analysed image to it. `gates` are the role's thresholds in
 * force (CaptureService passes its own, with the kiosk's settings applied). `quality`: the
 * mesh measures' thresholds, for the selfie the camera takes; null (a file, or the worker's own
 * pre-check) reports the measures without judging by them. The ID document's portrait is never
 * judged by them: a printed face cannot turn or open its eyes.
 */
export function judgeDetection(
  detection: Detection,
  role: CaptureRole,
  size: { width: number; height: number },
  gates: GateThresholds = GATES[role],
  quality: QualitySettings | null = null,
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
  const measures = mainFace === null ? null : measuresOf(detection, mainFace, countedFaces, scale);
  const meshGates =
    role === 'selfie' && measures !== null && detection.landmarks !== null
      ? meshGatesFor(measures, detection.landmarks.interEyeDistance, quality)
      : null;
  const verdict = verdictOf(mainFace, countedFaces, gates, meshGates);
  return {
    role,
    verdict,
    message: guidanceMessage(role, verdict),
    faces,
    countedFaces,
    mainFace,
    measures,
    width: size.width,
    height: size.height,
    analysisWidth: detection.analysisWidth,
    analysisHeight: detection.analysisHeight,
    detectMs: detection.detectMs,
  };
}

/** Which mesh measures fail their thresholds; null when none is judged. */
interface MeshGates {
  turned: boolean;
  tilted: boolean;
  underExposed: boolean;
  overExposed: boolean;
  uneven: boolean;
  eyesClosed: boolean;
}

function meshGatesFor(
  m: FaceQualityMeasures,
  analysedInterEyeDistance: number,
  quality: QualitySettings | null,
): MeshGates | null {
  if (quality === null || m.meshScore === null || m.meshScore < quality.minMeshScore) return null;
  const over = (value: number | null, max: number) => value !== null && Math.abs(value) > max;
  return {
    turned: over(m.yaw, quality.maxYawDegrees) || over(m.pitch, quality.maxPitchDegrees),
    tilted: over(m.roll, quality.maxRollDegrees),
    underExposed: over(m.underExposure, quality.maxUnderExposure),
    overExposed: over(m.overExposure, quality.maxOverExposure),
    uneven:
      m.illuminationUniformity !== null &&
      m.illuminationUniformity < quality.minIlluminationUniformity,
    eyesClosed:
      m.eyesOpen !== null &&
      m.eyesOpen < quality.minEyesOpen &&
      analysedInterEyeDistance >= quality.minInterEyeDistanceForEyes,
  };
}

/**
 * The first problem the person should fix: position, then light, then the head's pose (the
 * mesh runs only on a face placed and lit well enough), then focus, then the eyes (eyelids on a
 * blurred face measure badly; fixing focus first usually fixes the reading).
 */
function verdictOf(
  face: FaceMeasurement | null,
  counted: number,
  gates: GateThresholds,
  mesh: MeshGates | null,
): Guidance {
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
  if (mesh?.turned) return 'look-straight';
  if (mesh?.tilted) return 'head-level';
  if (mesh?.underExposed) return 'too-dark';
  if (mesh?.overExposed) return 'too-bright';
  // A face half in shadow also measures soft: the light first.
  if (mesh?.uneven) return 'uneven-light';
  // Blur is judged after position and light: a dark or badly placed face also measures soft,
  // and fixing those first usually fixes it.
  if (face.sharpness < gates.minSharpness) return 'blurry';
  if (mesh?.eyesClosed) return 'eyes-closed';
  return 'ok';
}

/** The measures in the report's terms: pixel values scaled to the image described. */
function measuresOf(
  detection: Detection,
  face: FaceMeasurement,
  counted: number,
  scale: number,
): FaceQualityMeasures {
  const lm = detection.landmarks;
  const common = { sharpness: face.sharpness, singleFace: counted === 1 };
  if (lm === null) {
    return {
      yaw: null,
      pitch: null,
      roll: null,
      eyesOpen: null,
      interEyeDistance: null,
      headSize: null,
      marginLeft: null,
      marginRight: null,
      marginTop: null,
      marginBottom: null,
      illuminationUniformity: null,
      underExposure: null,
      overExposure: null,
      meshScore: null,
      ...common,
    };
  }
  const { analysisWidth: w, analysisHeight: h } = detection;
  const { head } = lm;
  return {
    yaw: round1(lm.yaw),
    pitch: round1(lm.pitch),
    roll: round1(lm.roll),
    eyesOpen: round3(lm.eyesOpen),
    interEyeDistance: round1(lm.interEyeDistance * scale),
    headSize: round3(head.height / h),
    marginLeft: round3(head.x / w),
    marginRight: round3((w - head.x - head.width) / w),
    marginTop: round3(head.y / h),
    marginBottom: round3((h - head.y - head.height) / h),
    illuminationUniformity: round3(lm.illuminationUniformity),
    underExposure: round3(lm.underExposure),
    overExposure: round3(lm.overExposure),
    meshScore: round3(lm.meshScore),
    ...common,
  };
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

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
