/**
 * One final capture: size rules, the quality gates on the full-resolution image, then the
 * vendor's JPEG. Nothing without exactly one usable face comes out of here.
 */
import { createHash } from 'node:crypto';
import type { VendorProfile } from '../../model/profiles.js';
import type { QualitySettings } from '../../model/quality-settings.js';
import { CaptureError } from './capture-error.js';
import type { ImageSource } from './image-source.js';
import { checkMinimum, chooseOutputSize, MIN_SENT_FACE_WIDTH, ruleFor } from './output-size.js';
import { judgeDetection, type Detection } from './quality-gates.js';
import { measureFaceSample } from './face-stats.js';
import { analysisImage, encodeJpeg, faceSample, JPEG_QUALITY } from './render-pixels.js';
import { ANALYSIS, type GateThresholds } from './thresholds.js';
import type { CaptureRole, PixelImage, PreparedCapture } from './types.js';

/** Finds faces; `landmarkGates`: run the face mesh when the main face passes these. */
export type DetectFn = (
  image: PixelImage,
  role: CaptureRole,
  landmarkGates: GateThresholds | null,
) => Promise<Detection>;

/**
 * Re-measures the main face on the full-resolution pixels: the same measures and thresholds as
 * live guidance, but sharpness now sees the detail (or the blur) the vendor will get, which a
 * 320-px analysis image hides.
 */
async function remeasureAtFullResolution(
  source: ImageSource,
  detection: Detection,
): Promise<Detection> {
  const main = detection.faces[0];
  if (main === undefined) return detection;
  const scale = source.width / detection.analysisWidth;
  const box = {
    x: main.x * scale,
    y: main.y * scale,
    width: main.width * scale,
    height: main.height * scale,
  };
  return { ...detection, stats: measureFaceSample(await faceSample(source, box)) };
}

/**
 * `gates`: the role's thresholds in force, the same live guidance judges by. `quality`: the
 * mesh measures' thresholds; a camera capture is judged by them like live guidance, a file
 * (`judgeMeasures` false) only measured: nobody is in front of the camera to turn or open
 * their eyes. The vendor's size keeps the eyes `quality.minInterEyeDistancePx` apart either way.
 */
export async function prepareCapture(
  source: ImageSource,
  profile: VendorProfile,
  role: CaptureRole,
  detect: DetectFn,
  gates: GateThresholds,
  quality: QualitySettings,
  judgeMeasures: boolean,
): Promise<PreparedCapture> {
  const rule = ruleFor(profile, role);
  checkMinimum(source, rule, profile);

  // Encode at the size the rules give while the detector runs; the face rarely changes it.
  const planned = chooseOutputSize(source, rule, profile, null);
  const encoding = encodeJpeg(source, planned);
  encoding.catch(() => {}); // awaited below, or abandoned when a gate fails first

  const found = await detect(await analysisImage(source, ANALYSIS[role].longSide), role, gates);
  const detection = await remeasureAtFullResolution(source, found);
  const judgedBy = judgeMeasures ? quality : null;
  const atSource = judgeDetection(detection, role, source, gates, judgedBy);
  if (atSource.verdict !== 'ok' || atSource.mainFace === null) {
    const what =
      source.kind === 'frame' ? 'The picture was not taken' : 'This image cannot be used';
    throw new CaptureError(
      atSource.verdict === 'ok' ? 'no-face' : atSource.verdict,
      `${what}: ${atSource.message}`,
      { report: atSource },
    );
  }

  const size = chooseOutputSize(
    source,
    rule,
    profile,
    keptFaceWidth(
      atSource.mainFace.box.width,
      atSource.measures?.interEyeDistance ?? null,
      quality,
    ),
  );
  const bytes =
    size.width === planned.width && size.height === planned.height
      ? await encoding
      : await encodeJpeg(source, size);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return {
    bytes,
    // No names, no dates: the file name travels to the vendor.
    fileName: `${role}-${sha256.slice(0, 12)}.jpg`,
    contentType: 'image/jpeg',
    api: profile.api,
    role,
    width: size.width,
    height: size.height,
    byteSize: bytes.byteLength,
    sha256,
    jpegQuality: JPEG_QUALITY,
    source: {
      kind: source.kind,
      format: source.format,
      width: source.width,
      height: source.height,
    },
    quality: judgeDetection(detection, role, size, gates, judgedBy),
    notes: size.notes,
  };
}

/**
 * The face width chooseOutputSize keeps at MIN_SENT_FACE_WIDTH, narrowed where the eyes would
 * otherwise come closer than the setting: the output then stays larger (never over the source).
 */
function keptFaceWidth(
  faceWidth: number,
  interEyeDistance: number | null,
  quality: QualitySettings,
): number {
  if (interEyeDistance === null || interEyeDistance <= 0 || quality.minInterEyeDistancePx <= 0) {
    return faceWidth;
  }
  return Math.min(
    faceWidth,
    (interEyeDistance * MIN_SENT_FACE_WIDTH) / quality.minInterEyeDistancePx,
  );
}

/** Everything about a prepared image but its bytes: what the CLI prints and IPC carries. */
export function captureSummary(prepared: PreparedCapture): Omit<PreparedCapture, 'bytes'> {
  const { bytes: _bytes, ...summary } = prepared;
  return summary;
}
