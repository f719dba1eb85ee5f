/** The shapes capture takes and gives: frames in, guidance and prepared JPEGs out. */
import type { ApiId } from '../../model/apis.js';
import type { PreparedImage } from '../../model/request.js';
import type { FaceBox } from '../../model/result-model.js';

/** One camera frame as the renderer grabs it from the video: RGBA, row-major, no row padding. */
export interface RgbaFrame {
  width: number;
  height: number;
  /** width * height * 4 bytes. analyzeFrame transfers this buffer to the worker (detaches it). */
  data: Uint8Array;
}

/**
 * The final capture as the renderer may send it instead: the same full-resolution frame, JPEG
 * encoded by the browser (quality 0.95, ~150 KB for 1280x720 instead of 3.6 MB of RGBA). The
 * harness carries it over a WebSocket, where 3.6 MB took ~200 ms to stream on this machine.
 * `width` and `height` are what the renderer says; the decoded picture must match them.
 */
export interface JpegFrame {
  width: number;
  height: number;
  encoding: 'jpeg';
  data: Uint8Array;
}

/** Decoded, upright, sRGB pixels, row-major (the vendor emulator hands its uploads this way). */
export interface PixelImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

export {
  CAPTURE_ROLES,
  GUIDANCE_VERDICTS,
  type CaptureRole,
  type Guidance,
  type GuidanceProblem,
} from '../../model/guidance.js';
import type { CaptureRole, Guidance } from '../../model/guidance.js';

/** What was measured on the main (largest) face. Ratios do not depend on the frame's size. */
export interface FaceMeasurement {
  /** In the coordinates of the image the report describes. */
  box: FaceBox;
  /** Face width divided by the frame's shorter side. */
  sizeRatio: number;
  /** Centre of the face box as a share (0..1) of the frame's width and height. */
  centerX: number;
  centerY: number;
  /** Whether the box reaches the frame's border (part of the face may be cut off). */
  touchesEdge: boolean;
  /** Mean luma (0..255) of the face. */
  brightness: number;
  /** Standard deviation of luma in the face. */
  contrast: number;
  /** Share of face pixels blown out to white (glare, a lamp, a flash on a laminate). */
  clippedFraction: number;
  /** Variance of the Laplacian of the face resampled to a fixed size; low means blurred. */
  sharpness: number;
}

/**
 * The face quality measures of one face (face-measures.ts), numbers only, never pixels: what
 * travels with the capture's report and the job. Named after the components of ISO/IEC
 * 29794-5 as OFIQ names them; not a conformance claim. The mesh's measures are null where the
 * mesh did not run (a frame that failed an earlier gate) or the face was too small for it.
 */
export interface FaceQualityMeasures {
  /** HeadPose, degrees: yaw positive with the nose towards the picture's right. */
  yaw: number | null;
  /** HeadPose, degrees: pitch positive with the chin raised. */
  pitch: number | null;
  /** HeadPose, degrees: roll positive with the head tilted clockwise in the picture. */
  roll: number | null;
  /** EyesOpen: the less open eye's lid-to-lid / corner-to-corner ratio (open ~0.25-0.45). */
  eyesOpen: number | null;
  /** InterEyeDistance: iris centre to iris centre, pixels of the image described. */
  interEyeDistance: number | null;
  /** HeadSize: the face's height (forehead to chin) / the image's height. */
  headSize: number | null;
  /**
   * Margins from the face (forehead to chin, cheek to cheek) to each border, as shares of the
   * image's width (left, right) and height (top, bottom); negative when the face is cut off.
   */
  marginLeft: number | null;
  marginRight: number | null;
  marginTop: number | null;
  marginBottom: number | null;
  /** IlluminationUniformity: darker half of the face's mean luma / brighter half's (0..1). */
  illuminationUniformity: number | null;
  /** UnderExposurePrevention: share of face pixels near black (0..1). */
  underExposure: number | null;
  /** OverExposurePrevention: share of face pixels near white (0..1). */
  overExposure: number | null;
  /** Sharpness: the gates' Laplacian variance (FaceMeasurement.sharpness). */
  sharpness: number;
  /** SingleFacePresent: exactly one face close enough to count. */
  singleFace: boolean;
  /** The face mesh's confidence (0..1); under the setting's minimum no gate used the mesh. */
  meshScore: number | null;
}

export interface QualityReport {
  role: CaptureRole;
  verdict: Guidance;
  /** What the customer (or staff, for a file) should do, in plain words. */
  message: string;
  /** Every face found, largest first, in the coordinates of the image described. */
  faces: FaceBox[];
  /** Faces close enough to the camera to count (smaller ones are passers-by). */
  countedFaces: number;
  mainFace: FaceMeasurement | null;
  /** The quality measures of the main face; null without one. */
  measures: FaceQualityMeasures | null;
  /** The size of the image the coordinates refer to. */
  width: number;
  height: number;
  /** The size the detector looked at. */
  analysisWidth: number;
  analysisHeight: number;
  detectMs: number;
}

/** Live guidance for one frame, with how steady the face has been over the previous frames. */
export interface FrameAnalysis extends QualityReport {
  /** How far the face moved since the previous frame, in face widths; null without one. */
  movement: number | null;
  /** Consecutive frames (this one included) in which the face held still. */
  steadyFrames: number;
}

/** A JPEG ready for the vendor client (a PreparedImage) with what we know about it. */
export interface PreparedCapture extends PreparedImage {
  contentType: 'image/jpeg';
  api: ApiId;
  role: CaptureRole;
  width: number;
  height: number;
  byteSize: number;
  /** Hex SHA-256 of `bytes`, for the audit log and de-duplication (never the pixels). */
  sha256: string;
  jpegQuality: number;
  source: { kind: 'frame' | 'file'; format: 'raw' | 'jpeg' | 'png'; width: number; height: number };
  /** The gates' report on the prepared image (coordinates in the prepared image). */
  quality: QualityReport;
  /** What a reviewer should know that did not stop the capture. */
  notes: string[];
}
