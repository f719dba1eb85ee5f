/**
 * Where a capture's pixels come from: a camera frame (trusted layout, checked anyway) or a file
 * (untrusted: read with a size cap, sniffed, then opened by the hardened sharp). Either way the
 * result is a sharp pipeline on the upright image; decoding runs in libuv's thread pool, so the
 * event loop never waits on it.
 */
import { readFile, stat } from 'node:fs/promises';
import sharp, { type Sharp } from 'sharp';
import { CaptureError } from './capture-error.js';
import { hardenSharp, MAX_FILE_BYTES, MAX_INPUT_PIXELS, UNTRUSTED_INPUT } from './harden-sharp.js';
import { sniffFormat } from './sniff-format.js';
import type { JpegFrame, PixelImage, RgbaFrame } from './types.js';

export interface ImageSource {
  kind: 'frame' | 'file';
  format: 'raw' | 'jpeg' | 'png';
  /** Upright size (EXIF orientation applied). */
  width: number;
  height: number;
  /** A new pipeline on the upright image, one per output (sharp pipelines are single-use). */
  open(): Sharp;
  /** Files: false when the bytes stop before the format's end marker (a cut-short copy). */
  complete?: boolean;
}

const PNG_IEND = Buffer.from([0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/**
 * Whether a JPEG or PNG file reaches its end marker: PNG's IEND chunk is always last; a JPEG
 * ends with EOI (FF D9), allowing for zero padding some scanners add. Checked on the bytes, so
 * a cut-short file is named as such however libvips words its (thread-shared) error message.
 */
export function reachesEndMarker(bytes: Uint8Array, format: 'jpeg' | 'png'): boolean {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'png') return data.subarray(-PNG_IEND.length).equals(PNG_IEND);
  let end = data.length;
  while (end > 2 && data[end - 1] === 0x00) end -= 1;
  return data[end - 2] === 0xff && data[end - 1] === 0xd9;
}

/** Larger than any camera we drive (4K is 3840x2160); a bigger "frame" is a bug or an attack. */
const MAX_FRAME_SIDE = 8192;

/** A frame's announced size is a camera's, and it came with bytes. */
function plausibleFrame(frame: { width: number; height: number; data: unknown }): boolean {
  const { width, height, data } = frame;
  return (
    Number.isInteger(width) &&
    Number.isInteger(height) &&
    width > 0 &&
    height > 0 &&
    width <= MAX_FRAME_SIDE &&
    height <= MAX_FRAME_SIDE &&
    data instanceof Uint8Array
  );
}

export function frameSource(frame: RgbaFrame): ImageSource {
  const { width, height, data } = frame;
  const valid = plausibleFrame(frame) && data.byteLength === width * height * 4;
  if (!valid) {
    const got = data instanceof Uint8Array ? `${data.byteLength} bytes` : 'no pixel data';
    throw new CaptureError(
      'bad-frame',
      `The camera frame is malformed (${width}x${height} RGBA needs ${width * height * 4} bytes, got ${got}). Restart the camera.`,
    );
  }
  return pixelSource({ data, width, height, channels: 4 });
}

/**
 * A camera frame the renderer sent as a JPEG: decoded once (hardened, within the pixel limit)
 * to RGB, and from then on the same as a raw frame. Refused with bad-frame unless it is a
 * complete JPEG of the size the renderer declared.
 */
export async function jpegFrameSource(frame: JpegFrame): Promise<ImageSource> {
  const { width, height, data } = frame;
  const declared =
    plausibleFrame(frame) && data.byteLength > 0 && data.byteLength <= MAX_FILE_BYTES;
  if (!declared || sniffFormat(data).kind !== 'jpeg' || !reachesEndMarker(data, 'jpeg')) {
    throw new CaptureError(
      'bad-frame',
      `The camera picture is malformed (a ${width}x${height} JPEG was announced, ${data instanceof Uint8Array ? `${data.byteLength} bytes` : 'no data'} came, not a complete JPEG). Restart the camera.`,
    );
  }
  hardenSharp();
  const decoded = await sharp(data, UNTRUSTED_INPUT)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw new CaptureError(
        'bad-frame',
        'The camera picture could not be decoded. Restart the camera.',
        {
          cause: error,
        },
      );
    });
  if (decoded.info.width !== width || decoded.info.height !== height) {
    throw new CaptureError(
      'bad-frame',
      `The camera picture is ${decoded.info.width}x${decoded.info.height}, not the ${width}x${height} announced. Restart the camera.`,
    );
  }
  return pixelSource({ data: decoded.data, width, height, channels: 3 });
}

/** Decoded pixels someone else already holds (a frame, the emulator's upload). Not copied. */
export function pixelSource(image: PixelImage): ImageSource {
  const { width, height, channels, data } = image;
  hardenSharp();
  return {
    kind: 'frame',
    format: 'raw',
    width,
    height,
    open: () => sharp(data, { raw: { width, height, channels } }),
  };
}

/** Reads a file the kiosk was handed (scanner folder, file dialog), refusing absurd sizes. */
export async function readImageFile(path: string): Promise<Buffer> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CaptureError('file-unreadable', `${path} is not a file.`);
    if (info.size > MAX_FILE_BYTES) throw fileTooLarge(info.size);
    return await readFile(path);
  } catch (error) {
    if (error instanceof CaptureError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new CaptureError(
      'file-unreadable',
      `Cannot read ${path} (${code}). Check the file name and that the kiosk may read it.`,
      { cause: error },
    );
  }
}

/** Opens untrusted bytes: only JPEG and PNG, within the pixel limit, upright. */
export async function fileSource(bytes: Uint8Array): Promise<ImageSource> {
  if (bytes.byteLength === 0) {
    throw new CaptureError(
      'empty-file',
      'The file is empty (0 bytes). Scan or save the photo again.',
    );
  }
  if (bytes.byteLength > MAX_FILE_BYTES) throw fileTooLarge(bytes.byteLength);
  const sniffed = sniffFormat(bytes);
  if (sniffed.kind === 'unsupported') {
    throw new CaptureError(
      'unsupported-format',
      `${sniffed.name} images are not accepted. Save the photo as JPEG or PNG and try again.`,
    );
  }
  if (sniffed.kind === 'not-an-image') {
    throw new CaptureError(
      'not-an-image',
      `This file is not an image (it contains ${sniffed.looksLike}). Choose a JPEG or PNG photo.`,
    );
  }
  hardenSharp();
  // The header alone, without the pixel limit, so a bomb's message can state its real size;
  // every decode below runs with the limit.
  const metadata = await sharp(bytes, { ...UNTRUSTED_INPUT, limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => {
      throw decodeError(error, reachesEndMarker(bytes, sniffed.kind));
    });
  const { width, height } = metadata.autoOrient;
  if (width * height > MAX_INPUT_PIXELS) throw tooManyPixels(width, height);
  return {
    kind: 'file',
    format: sniffed.kind,
    width,
    height,
    open: () => sharp(bytes, { ...UNTRUSTED_INPUT, autoOrient: true }),
    complete: reachesEndMarker(bytes, sniffed.kind),
  };
}

/** Turns a sharp/libvips failure on an untrusted file into an error a person can act on. */
export function decodeError(error: unknown, complete = true): CaptureError {
  const text = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(text)) {
    return new CaptureError(
      'too-many-pixels',
      `The image has more than ${MAX_INPUT_PIXELS / 1e6} megapixels, which the kiosk does not open. Scan at 300 dpi or resize the photo.`,
      { cause: error },
    );
  }
  if (/timeout/i.test(text)) {
    return new CaptureError(
      'decode-timeout',
      'The image took too long to open and was abandoned. Save it again as an ordinary JPEG or PNG.',
      { cause: error },
    );
  }
  // Decided on the bytes, not on libvips' wording, which threads can mix up (see above).
  if (!complete) {
    return new CaptureError(
      'truncated',
      'The image file is incomplete (cut short while copying or downloading). Copy or scan it again.',
      { cause: error },
    );
  }
  return new CaptureError(
    'corrupt-image',
    'The image file is damaged and cannot be opened. Scan or save the photo again.',
    { cause: error },
  );
}

function tooManyPixels(width: number, height: number): CaptureError {
  const mp = Math.round((width * height) / 1e6);
  return new CaptureError(
    'too-many-pixels',
    `The image is ${width}x${height} (${mp} megapixels); the kiosk opens at most ${MAX_INPUT_PIXELS / 1e6}. Scan at 300 dpi or resize the photo.`,
  );
}

function fileTooLarge(size: number): CaptureError {
  return new CaptureError(
    'file-too-large',
    `The file is ${Math.round(size / 1024 / 1024)} MB; the kiosk accepts at most ${MAX_FILE_BYTES / 1024 / 1024} MB. Save the photo as a JPEG.`,
  );
}
