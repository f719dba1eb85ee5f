/**
 * What a file is, by its first bytes, whatever its name says. Only JPEG and PNG go on to a
 * decoder; everything else is named in the error so staff know what to re-save it as.
 */

export type SniffedFormat =
  | { kind: 'jpeg' }
  | { kind: 'png' }
  | { kind: 'unsupported'; name: string }
  | { kind: 'not-an-image'; looksLike: 'text' | 'unknown data' };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** ISO-BMFF brands (bytes 8..11 after "ftyp"): HEIC from phones, AVIF from browsers. */
const HEIF_BRANDS: Record<string, string> = {
  heic: 'HEIC',
  heix: 'HEIC',
  hevc: 'HEIC',
  hevx: 'HEIC',
  heim: 'HEIC',
  heis: 'HEIC',
  mif1: 'HEIF',
  msf1: 'HEIF',
  avif: 'AVIF',
  avis: 'AVIF',
};

export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { kind: 'jpeg' };
  if (startsWith(bytes, PNG_SIGNATURE)) return { kind: 'png' };
  const named = unsupportedName(bytes);
  if (named !== null) return { kind: 'unsupported', name: named };
  return { kind: 'not-an-image', looksLike: looksLikeText(bytes) ? 'text' : 'unknown data' };
}

function unsupportedName(bytes: Uint8Array): string | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (ascii(0, 4) === 'GIF8') return 'GIF';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') {
    // VP8X header with the animation flag (bit 1 of the flags byte at offset 20).
    const animated = ascii(12, 16) === 'VP8X' && ((bytes[20] ?? 0) & 0x02) !== 0;
    return animated ? 'animated WebP' : 'WebP';
  }
  if (ascii(4, 8) === 'ftyp') return HEIF_BRANDS[ascii(8, 12)] ?? 'ISO media (HEIF/MP4)';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return 'TIFF';
  }
  if (ascii(0, 2) === 'BM') return 'BMP';
  if (ascii(0, 5) === '%PDF-') return 'PDF';
  if (ascii(0, 4) === '8BPS') return 'Photoshop (PSD)';
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00])) return 'ICO';
  if (startsWith(bytes, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20])) return 'JPEG 2000';
  if (startsWith(bytes, [0xff, 0x0a]) || ascii(4, 8) === 'JXL ') return 'JPEG XL';
  // SVG is text: look for the root element near the start (after an XML prolog or comments).
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 1024));
  if (/<svg[\s>]/i.test(head)) return 'SVG';
  return null;
}

/** Mostly printable ASCII or UTF-8 in the first 512 bytes. */
function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 512);
  let printable = 0;
  for (const byte of head) {
    if (byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f)) {
      printable += 1;
    } else if (byte >= 0x80) {
      printable += 0.5; // UTF-8 continuation bytes: text in another script, probably.
    }
  }
  return head.length > 0 && printable / head.length > 0.9;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((value, index) => bytes[index] === value);
}
