/**
 * Fake-camera clips for the UI suites, made at test time from the real faces in
 * test/helpers/faces.ts and cached under `<repo>/.tmp/ui-clips/` (git-ignored; delete it any
 * time). Chromium plays them through `--use-file-for-fake-video-capture=<clip>.mjpeg`.
 *
 * A clip is Motion JPEG: CLIP_FRAMES identical JPEG frames back to back (Chromium loops the
 * file; frames need not differ for the track to keep delivering them at 30 fps).
 *
 * Colour range: Chromium decodes each JPEG (full-range YCbCr) into I420 but tags it with the
 * default limited (studio, 16-235) range, so the page sees levels stretched by 255/219 around
 * 16: black-ish greys crushed to 0, a 15%-brightness scene almost black. Measured on Chromium
 * 156: file grey 32 -> page 19, 64 -> 56, 192 -> 205, 235 -> 255. The clip files therefore hold
 * every frame squeezed into 16-235, and the page sees the scene itself (within ~2 levels);
 * frameJpeg() returns that scene, not the squeezed bytes.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type OutputInfo, type OverlayOptions, type Sharp } from 'sharp';
import type { PixelImage } from '../../../main/capture/types.js';
import { idCardFrame } from '../../capture/id-card.js';
import { framedFace, type DemoFace } from '../../helpers/faces.js';
import { tmpDir } from './paths.js';

export const CLIP_NAMES = [
  'oneFace',
  'noFace',
  'twoFaces',
  'farFace',
  'darkFace',
  'idCard',
] as const;
export type ClipName = (typeof CLIP_NAMES)[number];

/** Every clip's frame size. */
export const CLIP_SIZE = { width: 1280, height: 720 } as const;
/** Frames per clip: one second at the fake device's 30 fps, then Chromium loops. */
export const CLIP_FRAMES = 30;

/** A face in a clip: which demo face, where its centre is and how wide it is. */
export interface ClipFace {
  face: DemoFace;
  /** Face centre as a share of the frame's width and height. */
  centerX: number;
  centerY: number;
  /** Face width (the detector's box) as a share of the frame height. */
  widthShare: number;
}

/** The customer: a frontal, clearly detected demo face. Also the ID card's portrait. */
const CUSTOMER: DemoFace = { photo: 6, index: 1 };
/** Someone else at the kiosk with them. */
const COMPANION: DemoFace = { photo: 6, index: 0 };

/** ID card geometry (test/capture/id-card.ts draws it; these are its proportions). */
const CARD_SHARE = 0.6;

/**
 * The faces each clip shows, as intended. The kit test checks them against the on-device
 * detector, so a change in the scenes or in id-card.ts that moves a face is caught there.
 * The kiosk's detector (BlazeFace) finds the farFace and darkFace faces too, so the customer
 * hears "come closer" and "too dark" there (face-api's tiny detector, before it, found neither
 * and said "no face").
 */
export const CLIP_FACES: Readonly<Record<ClipName, readonly ClipFace[]>> = {
  // A customer ~60 cm from a 720p kiosk camera.
  oneFace: [{ face: CUSTOMER, centerX: 0.5, centerY: 0.48, widthShare: 0.3 }],
  noFace: [],
  twoFaces: [
    { face: CUSTOMER, centerX: 0.33, centerY: 0.48, widthShare: 0.25 },
    { face: COMPANION, centerX: 0.67, centerY: 0.48, widthShare: 0.25 },
  ],
  // ~2.3 m away (a quarter of oneFace's size).
  farFace: [{ face: CUSTOMER, centerX: 0.5, centerY: 0.45, widthShare: 0.08 }],
  // The oneFace scene at ~15% brightness.
  darkFace: [{ face: CUSTOMER, centerX: 0.5, centerY: 0.48, widthShare: 0.3 }],
  idCard: [{ face: CUSTOMER, ...idCardPortrait() }],
};

/** The levels Chromium expects in a clip's JPEGs (see the header). */
const LIMITED_RANGE = { scale: 219 / 255, offset: 16 };
const JPEG_QUALITY = 90;
/** Stale clips of an older recipe are deleted once they are this old (a run may still use one). */
const STALE_MS = 60 * 60 * 1000;
/** Bump when the scenes change in a way the hashed sources below do not show. */
const RECIPE_VERSION = 1;

const require = createRequire(import.meta.url);
const sceneCache = new Map<ClipName, Promise<PixelImage>>();
const clipCache = new Map<ClipName, Promise<string>>();

export function isClipName(value: string): value is ClipName {
  return (CLIP_NAMES as readonly string[]).includes(value);
}

/**
 * The clip's .mjpeg file (absolute path), built on first use and reused from
 * `.tmp/ui-clips/` afterwards: its name carries a hash of everything it is made from.
 */
export function buildClip(name: ClipName): Promise<string> {
  if (!isClipName(name)) {
    return Promise.reject(new Error(`Unknown clip ${JSON.stringify(name)}: one of ${CLIP_NAMES}`));
  }
  let file = clipCache.get(name);
  if (file === undefined) {
    file = writeClip(name);
    clipCache.set(name, file);
    file.catch(() => clipCache.delete(name));
  }
  return file;
}

/** The first frame as the page sees it (the scene, full range), as a JPEG. */
export async function frameJpeg(name: ClipName): Promise<Buffer> {
  const image = await scene(name);
  return rawSharp(image).jpeg({ quality: JPEG_QUALITY }).toBuffer();
}

/** The first frame as the page sees it, as RGB pixels. */
export function framePixels(name: ClipName): Promise<PixelImage> {
  return scene(name);
}

async function writeClip(name: ClipName): Promise<string> {
  const dir = await tmpDir('ui-clips');
  const file = path.join(dir, `${name}-${(await recipeHash(name)).slice(0, 16)}.mjpeg`);
  const existing = await stat(file).catch(() => null);
  if (existing !== null && existing.size > 0) return file;

  const frame = await rawSharp(await scene(name))
    .linear(LIMITED_RANGE.scale, LIMITED_RANGE.offset)
    .jpeg({ quality: JPEG_QUALITY, chromaSubsampling: '4:2:0' })
    .toBuffer();
  // Written aside and renamed: a parallel worker building the same clip never sees half a file.
  const partial = `${file}.${process.pid}.${Date.now()}.partial`;
  await writeFile(partial, Buffer.concat(Array.from({ length: CLIP_FRAMES }, () => frame)));
  await rename(partial, file);
  await pruneStale(dir, name, file);
  return file;
}

/** Hash of the recipe: the scene code, the face data it reads, and the tools that encode it. */
async function recipeHash(name: ClipName): Promise<string> {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({
      name,
      RECIPE_VERSION,
      CLIP_SIZE,
      CLIP_FRAMES,
      JPEG_QUALITY,
      LIMITED_RANGE,
      sharp: sharp.versions,
      faceApi: packageVersion('@vladmandic/face-api'),
    }),
  );
  const sources = ['./clips.ts', '../../helpers/faces.ts', '../../capture/id-card.ts'];
  for (const source of sources) {
    // Missing when this file runs from a bundle: the versions above still key the cache.
    hash.update(await readFile(fileURLToPath(new URL(source, import.meta.url))).catch(() => ''));
  }
  return hash.digest('hex');
}

async function pruneStale(dir: string, name: ClipName, keep: string): Promise<void> {
  const now = Date.now();
  for (const entry of await readdir(dir)) {
    const file = path.join(dir, entry);
    if (!entry.startsWith(`${name}-`) || file === keep) continue;
    const info = await stat(file).catch(() => null);
    if (info !== null && now - info.mtimeMs > STALE_MS) await unlink(file).catch(() => undefined);
  }
}

function packageVersion(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version;
}

function scene(name: ClipName): Promise<PixelImage> {
  let image = sceneCache.get(name);
  if (image === undefined) {
    image = renderScene(name);
    sceneCache.set(name, image);
    image.catch(() => sceneCache.delete(name));
  }
  return image;
}

async function renderScene(name: ClipName): Promise<PixelImage> {
  switch (name) {
    case 'noFace':
      return wall();
    case 'oneFace':
    case 'twoFaces':
    case 'farFace':
      return facesOnWall(CLIP_FACES[name]);
    case 'darkFace': {
      const lit = await scene('oneFace');
      return toPixels(
        await rawSharp(lit).linear(0.15, 0).raw().toBuffer({ resolveWithObject: true }),
      );
    }
    case 'idCard':
      return idCardFrame(CUSTOMER, { ...CLIP_SIZE, cardShare: CARD_SHARE });
  }
}

/**
 * A plain, evenly lit mid-grey wall: a faint top-to-bottom light falloff, soft blotches and
 * fine grain, so it is not a flat colour no camera would deliver. Always the same pixels.
 */
async function wall(): Promise<PixelImage> {
  const { width, height } = CLIP_SIZE;
  const random = mulberry32(20240611);
  const coarse = { width: 40, height: 23 };
  const blotches = await sharp(
    Buffer.from(Array.from({ length: coarse.width * coarse.height }, () => random() * 255)),
    { raw: { ...coarse, channels: 1 } },
  )
    .resize(width, height, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  const data = new Uint8Array(width * height * 3);
  const base = [128, 127, 123];
  for (let y = 0; y < height; y += 1) {
    const light = 8 - (14 * y) / height;
    for (let x = 0; x < width; x += 1) {
      const p = y * width + x;
      const shade = light + ((blotches[p]! - 128) / 128) * 5 + (random() - 0.5) * 5;
      for (let c = 0; c < 3; c += 1) data[p * 3 + c] = clampByte(base[c]! + shade);
    }
  }
  return { data, width, height, channels: 3 };
}

/** Heads cut from the demo photos (soft-edged, so no other person or photo background shows). */
async function facesOnWall(faces: readonly ClipFace[]): Promise<PixelImage> {
  const background = await wall();
  const overlays: OverlayOptions[] = [];
  for (const face of faces) {
    const faceWidth = face.widthShare * CLIP_SIZE.height;
    const head = await headCutout(face.face, faceWidth);
    overlays.push({
      input: head.png,
      left: Math.round(face.centerX * CLIP_SIZE.width - head.faceX),
      top: Math.round(face.centerY * CLIP_SIZE.height - head.faceY),
    });
  }
  return toPixels(
    await rawSharp(background)
      .composite(overlays)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true }),
  );
}

interface HeadCutout {
  /** RGBA PNG: the head and neck opaque, everything else transparent. */
  png: Buffer;
  /** Where the face centre is in it. */
  faceX: number;
  faceY: number;
}

async function headCutout(face: DemoFace, faceWidth: number): Promise<HeadCutout> {
  const width = Math.round(3.4 * faceWidth);
  const height = Math.round(3.2 * faceWidth);
  const faceX = width / 2;
  const faceY = height * 0.4;
  const photo = await framedFace(face, {
    width,
    height,
    faceShare: faceWidth / width,
    centerX: 0.5,
    centerY: 0.4,
  });
  // Head (with hair above the face box), neck and shoulders, as ellipses: the tiny detector
  // scores a face with shoulders under it higher than a floating head.
  const shapes = [
    { cx: faceX, cy: faceY - 0.12 * faceWidth, rx: 0.8 * faceWidth, ry: 1.08 * faceWidth },
    { cx: faceX, cy: faceY + 0.9 * faceWidth, rx: 0.38 * faceWidth, ry: 0.6 * faceWidth },
    { cx: faceX, cy: faceY + 1.9 * faceWidth, rx: 1.2 * faceWidth, ry: 0.8 * faceWidth },
  ];
  const painted = paintedColour(photo);
  const mask = Buffer.alloc(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const p = y * width + x;
      const inside = shapes.some((s) => ((x - s.cx) / s.rx) ** 2 + ((y - s.cy) / s.ry) ** 2 <= 1);
      if (inside && rgbAt(photo, p) !== painted) mask[p] = 255;
    }
  }
  const softMask = await sharp(mask, { raw: { width, height, channels: 1 } })
    .blur(Math.max(0.5, 0.04 * faceWidth))
    // sharp turns one-channel input into sRGB on output unless told otherwise.
    .extractChannel(0)
    .raw()
    .toBuffer();
  const png = await rawSharp(photo)
    .joinChannel(softMask, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
  return { png, faceX, faceY };
}

/**
 * The flat grey framedFace() paints over the other people in a demo photo, found as the one
 * greyish colour that covers a sizeable area exactly (a photo's own pixels never do): masked
 * out, the wall shows there instead. -1 when there is none.
 */
function paintedColour(image: PixelImage): number {
  const counts = new Map<number, number>();
  const pixels = image.width * image.height;
  for (let p = 0; p < pixels; p += 1) {
    const rgb = rgbAt(image, p);
    counts.set(rgb, (counts.get(rgb) ?? 0) + 1);
  }
  let best = -1;
  let bestCount = pixels * 0.005;
  for (const [rgb, count] of counts) {
    const channels = [rgb >> 16, (rgb >> 8) & 255, rgb & 255];
    const greyish = Math.max(...channels) - Math.min(...channels) <= 16;
    const midTone = channels.every((c) => c > 40 && c < 200);
    if (greyish && midTone && count > bestCount) [best, bestCount] = [rgb, count];
  }
  return best;
}

function rgbAt(image: PixelImage, pixel: number): number {
  const i = pixel * image.channels;
  return (image.data[i]! << 16) | (image.data[i + 1]! << 8) | image.data[i + 2]!;
}

/**
 * Where id-card.ts puts the portrait's face in a CLIP_SIZE frame: the card is centred, the
 * portrait is 0.3 of the card's width at 6% / 14% from its corner, and the face is 0.62 of
 * the portrait's width, centred at 45% of its height.
 */
function idCardPortrait(): Omit<ClipFace, 'face'> {
  const { width, height } = CLIP_SIZE;
  const cardW = Math.round(width * CARD_SHARE);
  const cardH = Math.round((cardW * 54) / 85.6);
  const portraitW = Math.round(cardW * 0.3);
  const portraitH = Math.round((portraitW * 4) / 3);
  const left = Math.round((width - cardW) / 2) + Math.round(cardW * 0.06);
  const top = Math.round((height - cardH) / 2) + Math.round(cardH * 0.14);
  return {
    centerX: (left + portraitW / 2) / width,
    centerY: (top + portraitH * 0.45) / height,
    widthShare: (0.62 * Math.min(portraitW, portraitH)) / height,
  };
}

function rawSharp(image: PixelImage): Sharp {
  return sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  });
}

function toPixels({ data, info }: { data: Buffer; info: OutputInfo }): PixelImage {
  if (info.channels !== 3 && info.channels !== 4) {
    throw new Error(`Expected RGB(A) pixels, got ${info.channels} channels`);
  }
  return { data, width: info.width, height: info.height, channels: info.channels };
}

function clampByte(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

/** A small seeded PRNG: the same wall on every run (so the cache key holds). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
