/** Where the emulator gets its face boxes: an injected detector, or the whole image. */
import { z } from 'zod';
import { FaceBoxSchema, type FaceBox } from '../../model/result-model.js';

/** Decoded, upright, sRGB pixels, row-major, as detectors take them. */
export interface DecodedPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/**
 * Finds faces in the decoded picture (at most DECODE_LONG_SIDE px on its longer side, see
 * image-check.ts), in its pixels; the emulator scales the boxes to the upload's own size.
 */
export type FaceDetector = (image: DecodedPixels) => Promise<FaceBox[]>;

/**
 * Without a detector the emulator treats the whole picture as one face: enough for tests that
 * do not look at faces (the kiosk only sends images its own gates judged to hold one).
 * `kiosk-verify emulator` and training mode pass the kiosk's own detector (CaptureService).
 */
export const wholeImageFace: FaceDetector = (image) =>
  Promise.resolve([{ x: 0, y: 0, width: image.width, height: image.height, confidence: 0.99 }]);

const FaceListSchema = z.array(FaceBoxSchema);

/** Finds faces in decoded pixels whose SHA-256 (see scoring.ts) is already known. */
export type FaceFinder = (image: DecodedPixels, pixelHash: Buffer) => Promise<FaceBox[]>;

/**
 * Remembers the faces of the last `capacity` distinct pictures: a retried or resent upload is
 * the same picture, and detection costs tens of milliseconds a request. Same pixels, same
 * faces: the answer does not change, it only comes sooner (and a bench measures the kiosk,
 * not our detector).
 */
export function rememberFaces(detector: FaceDetector, capacity = 256): FaceFinder {
  const known = new Map<string, Promise<FaceBox[]>>();
  return (image, pixelHash) => {
    const key = pixelHash.toString('hex');
    let faces = known.get(key);
    if (faces === undefined) {
      faces = detectFacesChecked(detector, image);
      faces.catch(() => known.delete(key));
      known.set(key, faces);
      if (known.size > capacity) known.delete(known.keys().next().value!);
    } else {
      // Most recently used last, so the oldest entry is the one dropped.
      known.delete(key);
      known.set(key, faces);
    }
    return faces;
  };
}

/** Runs the detector and checks what it returns, so a buggy detector fails loudly (500). */
export async function detectFacesChecked(
  detector: FaceDetector,
  image: DecodedPixels,
): Promise<FaceBox[]> {
  return FaceListSchema.parse(await detector(image));
}

/** The largest face: what a vendor matches against when told the photo holds one face. */
export function largestFace(faces: readonly FaceBox[]): FaceBox[] {
  const largest = faces.reduce<FaceBox | undefined>(
    (best, face) =>
      best === undefined || face.width * face.height > best.width * best.height ? face : best,
    undefined,
  );
  return largest === undefined ? [] : [largest];
}
