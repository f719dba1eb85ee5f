/**
 * The two things made from a source: the vendor's JPEG and the detector's small RGB image.
 * Both are sharp pipelines (libuv thread pool), upright, sRGB, 8-bit.
 */
import type { Sharp } from 'sharp';
import { CaptureError } from './capture-error.js';
import { DECODE_TIMEOUT_SECONDS } from './harden-sharp.js';
import { innerRegion, type Rect } from './face-stats.js';
import { decodeError, type ImageSource } from './image-source.js';
import { FACE_SAMPLE } from './thresholds.js';
import type { PixelImage } from './types.js';

/**
 * Quality 85, baseline libjpeg-turbo with optimised Huffman tables, 4:2:0 chroma. Measured on 14
 * demo faces as 1280x720 selfies (test/capture/calibration.ts; face PSNR median / worst, size):
 * q75 40.6 / 38.4 dB, 60 KB; q80 41.3 / 39.3 dB, 68 KB; q85 42.3 / 40.3 dB, 79 KB;
 * q90 43.5 / 41.5 dB, 98 KB; q92 44.1 / 42.0 dB, 107 KB. 85 is the lowest quality whose worst
 * face stays over 40 dB (no visible blocking on skin, which liveness models can read as
 * recompression); 90 would cost 24% more bytes for 1.2 dB. mozjpeg's trellis mode saves a
 * further ~20% but takes 35-55 ms instead of ~7 ms an image: not worth it at capture.
 */
export const JPEG_QUALITY = 85;

export async function encodeJpeg(
  source: ImageSource,
  size: { width: number; height: number },
): Promise<Buffer> {
  const pipeline = resized(source, size)
    .toColourspace('srgb')
    .jpeg({ quality: JPEG_QUALITY, chromaSubsampling: '4:2:0', mozjpeg: false })
    .timeout({ seconds: DECODE_TIMEOUT_SECONDS });
  // sharp writes no metadata unless asked (keepMetadata/withMetadata): no EXIF, GPS, camera
  // serial, XMP or ICC profile leaves the kiosk.
  return pipeline.toBuffer().catch((error: unknown) => {
    throw failure(source, error);
  });
}

/** RGB pixels at most `longSide` on the longer side, for the face worker. */
export async function analysisImage(source: ImageSource, longSide: number): Promise<PixelImage> {
  const scale = Math.min(1, longSide / Math.max(source.width, source.height));
  const size = {
    width: Math.max(1, Math.round(source.width * scale)),
    height: Math.max(1, Math.round(source.height * scale)),
  };
  return srgbPixels(source, resized(source, size));
}

/**
 * The inner face (FACE_SAMPLE's inset of `box`, source pixels) cut from the full-resolution
 * image and resized to the sample size by sharp's Lanczos filter.
 */
export async function faceSample(source: ImageSource, box: Rect): Promise<PixelImage> {
  const region = innerRegion(source, box);
  const side = FACE_SAMPLE.side;
  const cut = source
    .open()
    .extract({ left: region.x, top: region.y, width: region.width, height: region.height })
    .resize(side, side, { fit: 'fill' })
    .removeAlpha();
  return srgbPixels(source, cut);
}

/** Runs a pipeline to raw sRGB pixels within the decode timeout, errors made readable. */
async function srgbPixels(source: ImageSource, pipeline: Sharp): Promise<PixelImage> {
  const { data, info } = await pipeline
    .toColourspace('srgb')
    .raw()
    .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw failure(source, error);
    });
  return { data, width: info.width, height: info.height, channels: info.channels === 4 ? 4 : 3 };
}

function resized(source: ImageSource, size: { width: number; height: number }): Sharp {
  let pipeline = source.open();
  if (size.width !== source.width || size.height !== source.height) {
    pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' });
  }
  // Camera frames are opaque: drop alpha. A file's transparency becomes white, like paper.
  return source.kind === 'frame'
    ? pipeline.removeAlpha()
    : pipeline.flatten({ background: '#ffffff' });
}

function failure(source: ImageSource, error: unknown): CaptureError {
  if (source.kind === 'file') return decodeError(error, source.complete);
  return new CaptureError(
    'bad-frame',
    'The camera frame could not be processed. Restart the camera and try again.',
    { cause: error },
  );
}
