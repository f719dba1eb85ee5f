/**
 * sharp, locked down for files we did not make. The limits are the decoder's whole attack
 * surface: only two decoders, a pixel ceiling, warnings as errors, and a time limit.
 */
import os from 'node:os';
import sharp, { type SharpOptions } from 'sharp';

/**
 * 50 megapixels: the largest input we accept on purpose is a 48-MP phone photo (8000x6000)
 * picked in the file dialog; an A4 scan at 600 dpi is 35 MP and the kiosk camera 2-8 MP.
 * A 30000x30000 PNG bomb (900 MP, a few KB on disk, 2.7 GB decoded) is refused before decoding.
 */
export const MAX_INPUT_PIXELS = 50_000_000;

/**
 * 80 MB: a 35-MP colour PNG scan of a document is 20-60 MB; nothing we accept is larger, and
 * the whole file is held in memory while it is checked.
 */
export const MAX_FILE_BYTES = 80 * 1024 * 1024;

/**
 * 10 s: the largest legitimate input (a 50-MP JPEG) decodes, resizes and encodes in ~1.5 s on
 * this 2-core machine; anything slower is a crafted file or a starved kiosk, and the customer
 * should not wait on it.
 */
export const DECODE_TIMEOUT_SECONDS = 10;

/** Options for every sharp constructor that reads an untrusted file. */
export const UNTRUSTED_INPUT = {
  // Decoder warnings (a corrupt JPEG segment, a bad PNG chunk CRC) are errors: we would rather
  // ask for a clean file than send a half-decoded face to a vendor.
  failOn: 'warning',
  limitInputPixels: MAX_INPUT_PIXELS,
} as const satisfies SharpOptions;

let hardened = false;

/**
 * Allows only the JPEG and PNG decoders in libvips, process-wide (libvips has one registry per
 * process): GIF, WebP, HEIF, TIFF, SVG, PDF and the rest can never run on a file, whatever
 * its bytes claim. Also turns off libvips' operation cache, so decoded faces do not linger in
 * memory after a capture, and sets libvips' thread count. Idempotent.
 */
export function hardenSharp(): void {
  if (hardened) return;
  sharp.block({ operation: ['VipsForeignLoad'] });
  sharp.unblock({
    operation: [
      'VipsForeignLoadJpegBuffer',
      'VipsForeignLoadPngBuffer',
      // Capture reads files into memory itself; the file loaders stay open for other modules
      // (the CLI, the emulator) that hand sharp a path to a JPEG or PNG.
      'VipsForeignLoadJpegFile',
      'VipsForeignLoadPngFile',
    ],
  });
  sharp.cache(false);
  // On glibc Linux without jemalloc sharp defaults to one libvips thread per image, to limit
  // heap fragmentation. Measured here: a 1080p frame to a 1280x720 JPEG takes ~29 ms on one
  // thread and ~20 ms on two, and RSS stays flat over 5,000 captures (BENCHMARKS.md), so use
  // every core: the kiosk has few, and a capture is what the customer waits on.
  sharp.concurrency(os.availableParallelism());
  hardened = true;
}
