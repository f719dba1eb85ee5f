/**
 * The capture pipeline's one entry point: live guidance on small frames, and the final capture
 * (a camera frame or a file) turned into the vendor's JPEG after the same gates. Owns the face
 * worker. Nothing here blocks the event loop: pixels are decoded and resized by sharp in
 * libuv's pool and faces are found in the worker.
 */
import type { VendorProfile } from '../../model/profiles.js';
import { DEFAULT_QUALITY_SETTINGS, type QualitySettings } from '../../model/quality-settings.js';
import type { FaceBox } from '../../model/result-model.js';
import { FaceWorkerClient, type FaceWorkerOptions } from './face-worker-client.js';
import {
  applyGateOverrides,
  applyQualitySettings,
  type GateOverrides,
  type RoleGates,
} from './gate-overrides.js';
import {
  fileSource,
  frameSource,
  jpegFrameSource,
  pixelSource,
  readImageFile,
} from './image-source.js';
import { prepareCapture } from './prepare-capture.js';
import { judgeDetection, type Detection } from './quality-gates.js';
import { analysisImage } from './render-pixels.js';
import { SteadinessTracker } from './steadiness.js';
import { ANALYSIS, GATES, type GateThresholds } from './thresholds.js';
import type {
  CaptureRole,
  FrameAnalysis,
  JpegFrame,
  PixelImage,
  PreparedCapture,
  RgbaFrame,
} from './types.js';

/**
 * Finds faces in decoded pixels. The seam the vendor emulator takes to report the faces it
 * really finds; CaptureService is the implementation, test/helpers/faces.ts has a fixed twin.
 */
export interface FaceDetector {
  detectFaces(image: PixelImage): Promise<FaceBox[]>;
}

export interface CaptureServiceOptions extends FaceWorkerOptions {
  /**
   * Face-size limits in place of thresholds.ts's, e.g. from the kiosk's settings
   * (gateOverridesFromSettings). Invalid limits throw CaptureError 'invalid-gates'.
   */
  gates?: GateOverrides;
  /**
   * The face quality measures' thresholds in place of DEFAULT_QUALITY_SETTINGS (the kiosk's
   * `quality` settings, model/quality-settings.ts); what is left out keeps its default.
   * Invalid values throw CaptureError 'invalid-gates'.
   */
  quality?: Partial<QualitySettings>;
}

/** A frame this much larger than the analysis size is downscaled before it goes to the worker. */
const LIVE_FRAME_SLACK = 1.25;

/**
 * Live guidance runs the face mesh at most this often (about every third frame at 11 a
 * second); the frames between reuse its measures while the face stays put. 250 ms: a customer
 * told to look straight or open their eyes takes longer than that to do it.
 */
export const LIVE_MESH_EVERY_MS = 250;

export class CaptureService implements FaceDetector {
  readonly #worker: FaceWorkerClient;
  readonly #steadiness = new SteadinessTracker();
  readonly #guidanceListeners = new Set<(analysis: FrameAnalysis) => void>();
  #gates: RoleGates;
  #quality: QualitySettings;

  constructor(options: CaptureServiceOptions = {}) {
    this.#gates = applyGateOverrides(GATES, options.gates ?? {});
    this.#quality = applyQualitySettings(DEFAULT_QUALITY_SETTINGS, options.quality ?? {});
    this.#worker = new FaceWorkerClient(options);
  }

  /** The thresholds in force for each role: live guidance and the capture judge by these. */
  get gates(): RoleGates {
    return this.#gates;
  }

  /**
   * Changes face-size limits from now on (the kiosk's settings changed), without a restart:
   * the next frame and the next capture are judged by them. What is not named keeps its value.
   * Invalid limits throw CaptureError 'invalid-gates' and change nothing.
   */
  setGates(overrides: GateOverrides): void {
    this.#gates = applyGateOverrides(this.#gates, overrides);
  }

  /** The face quality thresholds in force (pose, eyes, light, exposure, inter-eye distance). */
  get quality(): QualitySettings {
    return this.#quality;
  }

  /**
   * Changes face quality thresholds from now on, like setGates: the next frame and capture are
   * judged by them; what is not named keeps its value. Invalid values throw CaptureError
   * 'invalid-gates' and change nothing.
   */
  setQuality(change: Partial<QualitySettings>): void {
    this.#quality = applyQualitySettings(this.#quality, change);
  }

  /**
   * Starts the face worker, loads the model and warms it up (~1-2 s). Optional: the first call
   * does it.
   */
  start(): Promise<void> {
    return this.#worker.start();
  }

  /** Finishes queued work and stops the worker; later calls fail with 'service-closed'. */
  close(): Promise<void> {
    return this.#worker.close();
  }

  /**
   * Live guidance for one small camera frame (~320x240, ~10 a second). A small frame's buffer
   * is transferred to the worker, not copied: `frame.data` is detached afterwards (a larger
   * frame is downscaled first and left alone). Send the next frame when the answer arrives.
   */
  async analyzeFrame(frame: RgbaFrame, role: CaptureRole = 'selfie'): Promise<FrameAnalysis> {
    const source = frameSource(frame);
    const { longSide } = ANALYSIS[role];
    const image: PixelImage =
      Math.max(frame.width, frame.height) <= longSide * LIVE_FRAME_SLACK
        ? { data: frame.data, width: frame.width, height: frame.height, channels: 4 }
        : await analysisImage(source, longSide);
    const gates = this.#gates[role];
    // The face mesh only where live guidance judges by it (the selfie): the ID photo's
    // measures are taken at its capture, for the report. And at most every
    // LIVE_MESH_EVERY_MS: a head turns or eyes open over a few hundred milliseconds, while the
    // mesh costs about as much as the detector; frames between reuse the last measures while
    // the face stays where it was.
    const now = performance.now();
    const meshDue =
      role === 'selfie' &&
      (this.#lastMesh === null || now - this.#lastMesh.at >= LIVE_MESH_EVERY_MS);
    let detection = await this.#detect(image, role, meshDue ? gates : null);
    if (role === 'selfie') detection = this.#withRecentMesh(detection, now);
    const report = judgeDetection(
      detection,
      role,
      { width: frame.width, height: frame.height },
      gates,
      this.#quality,
    );
    const analysis = this.#steadiness.observe(report, performance.now());
    for (const listener of this.#guidanceListeners) {
      try {
        listener(analysis);
      } catch {
        // A subscriber's bug must not stop guidance; the caller still gets the analysis.
      }
    }
    return analysis;
  }

  /**
   * The final capture from the full-resolution frame (raw RGBA, or the browser's JPEG of it):
   * gates, then the vendor's JPEG. The frame is read, not transferred, and may be reused once
   * this settles.
   */
  async captureFrame(
    frame: RgbaFrame | JpegFrame,
    profile: VendorProfile,
    role: CaptureRole = 'selfie',
  ): Promise<PreparedCapture> {
    const source = isJpegFrame(frame) ? await jpegFrameSource(frame) : frameSource(frame);
    return prepareCapture(
      source,
      profile,
      role,
      this.#detect,
      this.#gates[role],
      this.#quality,
      true,
    );
  }

  /** A JPEG or PNG file (path or bytes) from a scanner folder or the file dialog. */
  async prepareFile(
    input: string | Uint8Array,
    profile: VendorProfile,
    role: CaptureRole,
  ): Promise<PreparedCapture> {
    const gates = this.#gates[role];
    const bytes = typeof input === 'string' ? await readImageFile(input) : input;
    return prepareCapture(
      await fileSource(bytes),
      profile,
      role,
      this.#detect,
      gates,
      this.#quality,
      false,
    );
  }

  /** Every face in decoded pixels (the caller's buffer is left untouched), largest first. */
  readonly detectFaces = async (image: PixelImage): Promise<FaceBox[]> => {
    const small = await analysisImage(pixelSource(image), ANALYSIS.selfie.longSide);
    const detection = await this.#detect(small, 'selfie', null);
    return judgeDetection(detection, 'selfie', image).faces;
  };

  /** Called with every live analysis, e.g. to forward it to the renderer. Returns unsubscribe. */
  onGuidance(listener: (analysis: FrameAnalysis) => void): () => void {
    this.#guidanceListeners.add(listener);
    return () => this.#guidanceListeners.delete(listener);
  }

  /** Forget steadiness history: a new customer stepped up. */
  resetSteadiness(): void {
    this.#steadiness.reset();
    this.#lastMesh = null;
  }

  /**
   * Keeps a frame's own mesh measures (and remembers them), or gives a frame without them the
   * last ones when they are recent and the face has not moved: the centre within a fifth of
   * the face's width, the size within a fifth. Otherwise the frame is judged without them.
   */
  #withRecentMesh(detection: Detection, now: number): Detection {
    const face = detection.faces[0];
    if (face === undefined) {
      this.#lastMesh = null;
      return detection;
    }
    if (detection.landmarks !== null) {
      this.#lastMesh = { at: now, landmarks: detection.landmarks, face };
      return detection;
    }
    const last = this.#lastMesh;
    if (last === null || now - last.at > 2 * LIVE_MESH_EVERY_MS) return detection;
    const moved =
      Math.hypot(
        face.x + face.width / 2 - (last.face.x + last.face.width / 2),
        face.y + face.height / 2 - (last.face.y + last.face.height / 2),
      ) >
        0.2 * last.face.width || Math.abs(face.width / last.face.width - 1) > 0.2;
    return moved ? detection : { ...detection, landmarks: last.landmarks };
  }

  /** The last live frame the mesh ran on: when, its measures, where the face was. */
  #lastMesh: {
    at: number;
    landmarks: NonNullable<Detection['landmarks']>;
    face: Detection['faces'][number];
  } | null = null;

  readonly #detect = (
    image: PixelImage,
    role: CaptureRole,
    landmarkGates: GateThresholds | null,
  ): Promise<Detection> =>
    this.#worker.detect(image, role, this.#gates[role].minFaceScore, landmarkGates);
}

function isJpegFrame(frame: RgbaFrame | JpegFrame): frame is JpegFrame {
  return 'encoding' in frame && frame.encoding === 'jpeg';
}
