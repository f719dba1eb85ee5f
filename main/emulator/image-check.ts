/**
 * What a vendor does with an uploaded picture before scoring it: check its format by content,
 * apply the documented size rules from VENDOR_PROFILES, and decode it (in sharp's thread pool,
 * so the event loop stays free).
 */
import sharp from 'sharp';
import type { ImageFormat, ImageRule } from '../../model/profiles.js';
import type { DecodedPixels } from './detected-faces.js';
import { hashPixels } from './scoring.js';

export interface CheckedImage {
  /** The upload's upright size. */
  width: number;
  height: number;
  /** The decoded picture, at most DECODE_LONG_SIDE on its longer side (never enlarged). */
  pixels: DecodedPixels;
  /** SHA-256 of `pixels`: the same picture, however it was compressed, hashes the same. */
  pixelHash: Buffer;
}

/**
 * The emulator decodes at most this many pixels on the longer side: the size the kiosk's own
 * detector looks at (ANALYSIS.selfie.longSide in capture/thresholds.ts), so nothing it could
 * find is lost. Decoding a 1280 px selfie straight to 320 px (libjpeg's scaled decode, then
 * Lanczos) costs about 5 ms instead of 7 ms, and hashing 0.2 MB of pixels instead of 3.3 MB
 * takes 2 ms off the event loop per image: the emulator runs in the kiosk's main process in
 * training mode, and shares the CPU with the kiosk in every bench.
 */
export const DECODE_LONG_SIDE = 320;

export type ImageCheck =
  | { ok: true; image: CheckedImage }
  | { ok: false; problem: 'unsupported-format' | 'undecodable' | 'size-rule'; message: string };

/**
 * No vendor states a pixel ceiling except Kairos v0.2's 5000 px side; this guard (about
 * 8000x5000) only keeps a decompression bomb from exhausting the kiosk's memory.
 */
const MAX_DECODE_PIXELS = 40_000_000;

/**
 * Decoder warnings (a truncated JPEG, a bad PNG chunk) are errors: a vendor cannot score half a
 * picture, and the kiosk should learn that its upload arrived broken.
 */
const DECODE_OPTIONS = { limitInputPixels: MAX_DECODE_PIXELS, failOn: 'warning' } as const;

/**
 * Checks one uploaded image against `rule`. Only rules the vendor documents are enforced
 * (minDocumented / maxDocumented): our own stricter limits belong to the capture pipeline,
 * not to the vendor's behaviour.
 */
export async function checkImage(
  bytes: Buffer,
  label: string,
  rule: ImageRule,
): Promise<ImageCheck> {
  const format = sniffFormat(bytes);
  if (format === null || !rule.formats.includes(format)) {
    return {
      ok: false,
      problem: 'unsupported-format',
      message: `${label}: only JPEG and PNG images are accepted`,
    };
  }

  let width: number;
  let height: number;
  try {
    const metadata = await sharp(bytes, DECODE_OPTIONS).metadata();
    width = metadata.autoOrient.width;
    height = metadata.autoOrient.height;
  } catch (error) {
    return undecodable(label, error);
  }

  const sizeProblem = sizeRuleProblem(label, width, height, rule);
  if (sizeProblem !== null) return { ok: false, problem: 'size-rule', message: sizeProblem };

  try {
    const { data, info } = await sharp(bytes, { ...DECODE_OPTIONS, autoOrient: true })
      // The whole file is still decoded (a scaled decode reads every scan), so a truncated or
      // damaged upload is still refused.
      .resize({
        width: DECODE_LONG_SIDE,
        height: DECODE_LONG_SIDE,
        fit: 'inside',
        withoutEnlargement: true,
      })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixels: DecodedPixels = { data, width: info.width, height: info.height, channels: 3 };
    return {
      ok: true,
      image: {
        width,
        height,
        pixels,
        pixelHash: hashPixels(data, info.width, info.height),
      },
    };
  } catch (error) {
    return undecodable(label, error);
  }
}

/** The format by magic number, whatever the file name or declared Content-Type say. */
export function sniffFormat(bytes: Buffer): ImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'jpeg';
  }
  if (bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return 'png';
  return null;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function sizeRuleProblem(
  label: string,
  width: number,
  height: number,
  rule: ImageRule,
): string | null {
  const shortSide = Math.min(width, height);
  const longSide = Math.max(width, height);
  if (rule.minDocumented && shortSide < rule.minShortSide) {
    return `${label}: ${width}x${height} px is below the documented minimum of ${rule.minShortSide} px on the shorter side`;
  }
  if (rule.maxDocumented && longSide > rule.maxLongSide) {
    return `${label}: ${width}x${height} px is above the documented maximum of ${rule.maxLongSide} px on the longer side`;
  }
  return null;
}

function undecodable(label: string, error: unknown): ImageCheck {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    problem: 'undecodable',
    message: `${label}: could not decode image (${reason})`,
  };
}
