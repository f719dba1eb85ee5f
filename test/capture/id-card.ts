/**
 * An ID card held up to the kiosk camera, made at test time around a real demo face: the
 * document-photo fixtures for the id-photo gates.
 */
import sharp, { type OverlayOptions } from 'sharp';
import type { PixelImage } from '../../main/capture/types.js';
import { framedFace, type DemoFace } from '../helpers/faces.js';

export interface IdCardOptions {
  /** Frame size (the camera's view of the card held up to it). */
  width: number;
  height: number;
  /** Card width as a share of the frame width. */
  cardShare?: number;
  /** A blown-out reflection across the portrait, as a laminate gives under a lamp. */
  glare?: boolean;
}

/**
 * An ID card (ISO/IEC 7810 ID-1 proportions) held to the camera: the face as its portrait on
 * the left, grey bars for the printed fields, on a dark desk.
 */
export async function idCardFrame(face: DemoFace, options: IdCardOptions): Promise<PixelImage> {
  const { width, height, cardShare = 0.8, glare = false } = options;
  const cardW = Math.round(width * cardShare);
  const cardH = Math.round((cardW * 54) / 85.6);
  const portraitW = Math.round(cardW * 0.3);
  const portraitH = Math.round((portraitW * 4) / 3);
  const portrait = await framedFace(face, {
    width: portraitW,
    height: portraitH,
    faceShare: 0.62,
    centerY: 0.45,
  });
  const portraitPng = await sharp(portrait.data, {
    raw: { width: portraitW, height: portraitH, channels: portrait.channels },
  })
    .png()
    .toBuffer();
  const fields: OverlayOptions[] = [0.25, 0.38, 0.51, 0.64, 0.77].map((row) => ({
    input: {
      create: {
        width: Math.round(cardW * 0.5),
        height: Math.max(2, Math.round(cardH * 0.05)),
        channels: 3,
        background: { r: 70, g: 78, b: 92 },
      },
    },
    left: Math.round(cardW * 0.42),
    top: Math.round(cardH * row),
  }));
  const portraitAt = { left: Math.round(cardW * 0.06), top: Math.round(cardH * 0.14) };
  const overlays: OverlayOptions[] = [{ input: portraitPng, ...portraitAt }, ...fields];
  if (glare) {
    // Across the forehead and one eye: enough to hide features, not the whole face.
    const spot = { width: Math.round(portraitW * 0.4), height: Math.round(portraitH * 0.14) };
    overlays.push({
      input: glareSpot(spot.width, spot.height),
      raw: { ...spot, channels: 4 },
      left: portraitAt.left + Math.round(portraitW * 0.22),
      top: portraitAt.top + Math.round(portraitH * 0.3),
    });
  }
  const card = await sharp({
    create: { width: cardW, height: cardH, channels: 3, background: { r: 214, g: 226, b: 236 } },
  })
    .composite(overlays)
    .png()
    .toBuffer();
  const { data, info } = await sharp({
    create: { width, height, channels: 3, background: { r: 58, g: 54, b: 50 } },
  })
    .composite([
      {
        input: card,
        left: Math.round((width - cardW) / 2),
        top: Math.round((height - cardH) / 2),
      },
    ])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

/** An opaque white ellipse with a soft rim, RGBA. */
function glareSpot(width: number, height: number): Buffer {
  const out = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const dx = (x - width / 2) / (width / 2);
      const dy = (y - height / 2) / (height / 2);
      const r = Math.hypot(dx, dy);
      const i = (y * width + x) * 4;
      out.fill(255, i, i + 3);
      out[i + 3] = r < 0.8 ? 255 : r < 1 ? Math.round(255 * (1 - (r - 0.8) / 0.2)) : 0;
    }
  }
  return out;
}
