/**
 * The bad and awkward files a kiosk gets handed, made at test time: broken, disguised,
 * oversized and odd-format images. Faces come from test/helpers/faces.ts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import type { PixelImage } from '../../main/capture/types.js';

export function rawSharp(image: PixelImage): Sharp {
  return sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  });
}

/** The image run through a sharp operation (darken, blur, pad...), as RGB pixels again. */
export async function adjusted(
  image: PixelImage,
  operation: (pipeline: Sharp) => Sharp,
): Promise<PixelImage> {
  const { data, info } = await operation(rawSharp(image))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

export function truncated(bytes: Buffer, keep = 0.6): Buffer {
  return bytes.subarray(0, Math.floor(bytes.length * keep));
}

export function textFile(): Buffer {
  return Buffer.from('Customer notes: ID checked at counter 3.\n'.repeat(40));
}

/** Deterministic noise (a seeded LCG), starting with 0x42 so it matches no image signature. */
export function randomBytes(length = 4096): Buffer {
  const out = Buffer.alloc(length);
  let state = 12345;
  for (let i = 0; i < length; i += 1) {
    state = (state * 1103515245 + 12345) >>> 0;
    out[i] = state >>> 24;
  }
  out[0] = 0x42;
  out[1] = 0x17;
  return out;
}

/**
 * A PNG that claims width x height (30000x30000: 2.7 GB decoded) but carries a few rows of
 * compressed zeros: a few KB on disk. Valid header and CRCs, so only the pixel limit stops it.
 */
export function pngBomb(width = 30_000, height = 30_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = zlib.deflateSync(Buffer.alloc((width * 3 + 1) * 4), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', rows),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** An HEIC file's opening boxes (sharp's prebuilt libvips cannot encode HEVC). */
export function heicLike(): Buffer {
  const ftyp = Buffer.concat([
    Buffer.from([0x00, 0x00, 0x00, 0x18]),
    Buffer.from('ftypheic', 'ascii'),
    Buffer.from([0x00, 0x00, 0x00, 0x00]),
    Buffer.from('mif1heic', 'ascii'),
  ]);
  return Buffer.concat([ftyp, randomBytes(2048)]);
}

export function svgFile(): Buffer {
  return Buffer.from(
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600">' +
      '<circle cx="400" cy="300" r="200" fill="peru"/></svg>',
  );
}

/** Two frames joined into an animated WebP. */
export async function animatedWebp(image: PixelImage): Promise<Buffer> {
  const small = await rawSharp(image).resize(200).png().toBuffer();
  const flipped = await sharp(small).flop().png().toBuffer();
  return sharp([small, flipped], { join: { animated: true } })
    .webp({ loop: 0, delay: [200, 200] })
    .toBuffer();
}

/**
 * The upright image stored sideways with EXIF orientation 6 ("rotate 90 degrees clockwise to
 * view"), as phones and some scanners write it.
 */
export async function exifRotatedJpeg(image: PixelImage): Promise<Buffer> {
  const sideways = await rawSharp(image).rotate(270).raw().toBuffer({ resolveWithObject: true });
  return sharp(sideways.data, {
    raw: { width: sideways.info.width, height: sideways.info.height, channels: image.channels },
  })
    .jpeg({ quality: 92 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** A JPEG carrying what must never leave the kiosk: camera make, serial, GPS position. */
export async function jpegWithPrivateMetadata(image: PixelImage): Promise<Buffer> {
  return rawSharp(image)
    .jpeg({ quality: 92 })
    .withExif({
      IFD0: { Make: 'KioskCam', Model: 'KC-1', Copyright: 'Branch 42' },
      IFD2: { BodySerialNumber: 'SN-0042-7781' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' },
    })
    .toBuffer();
}

/** A scratch directory for files that must exist on disk under a given name. */
export async function scratchDir(): Promise<{
  dir: string;
  write(name: string, bytes: Buffer): Promise<string>;
  remove(): Promise<void>;
}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-capture-'));
  return {
    dir,
    async write(name, bytes) {
      const file = path.join(dir, name);
      await writeFile(file, bytes);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
