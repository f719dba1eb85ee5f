/**
 * Synthetic variants of the demo faces, made at test time with sharp: rotated in the picture,
 * mirrored, darkened on one side, blurred. Nothing is written to disk.
 */
import sharp, { type Sharp } from 'sharp';
import type { PixelImage } from '../../main/capture/types.js';

function pipelineOf(image: PixelImage): Sharp {
  return sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  });
}

async function pixelsOf(pipeline: Sharp): Promise<PixelImage> {
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

/**
 * The picture turned clockwise by `degrees` about its centre, cut back to its own size (the
 * corners the turn uncovers are grey), so the face keeps its place and about its size.
 */
export async function rotated(image: PixelImage, degrees: number): Promise<PixelImage> {
  const turned = await pixelsOf(pipelineOf(image).rotate(degrees, { background: '#606060' }));
  const left = Math.round((turned.width - image.width) / 2);
  const top = Math.round((turned.height - image.height) / 2);
  return pixelsOf(
    pipelineOf(turned).extract({ left, top, width: image.width, height: image.height }),
  );
}

/** The picture mirrored left to right: a face turned one way is turned the other. */
export function mirrored(image: PixelImage): Promise<PixelImage> {
  return pixelsOf(pipelineOf(image).flop());
}

/**
 * The picture's left part in shadow: light at `shade` of full up to `from` of the width, rising
 * to full light at `to`. A face centred in the picture gets one cheek in shadow, like a window
 * beside the kiosk.
 */
export function shadedLeft(
  image: PixelImage,
  shade = 0.3,
  from = 0.42,
  to = 0.5,
): Promise<PixelImage> {
  // A raw grey ramp multiplied in (the capture service lets sharp load only JPEG and PNG, so
  // no SVG gradient).
  const { width, height } = image;
  const ramp = Buffer.alloc(width * height * 3);
  for (let x = 0; x < width; x += 1) {
    const t = Math.min(1, Math.max(0, (x / width - from) / (to - from)));
    const level = Math.round(255 * (shade + (1 - shade) * t));
    for (let y = 0; y < height; y += 1)
      ramp.fill(level, (y * width + x) * 3, (y * width + x) * 3 + 3);
  }
  return pixelsOf(
    pipelineOf(image).composite([
      { input: ramp, raw: { width, height, channels: 3 }, blend: 'multiply' },
    ]),
  );
}

/** The picture blurred by a Gaussian of `sigma` pixels. */
export function blurred(image: PixelImage, sigma: number): Promise<PixelImage> {
  return pixelsOf(pipelineOf(image).blur(sigma));
}
