/**
 * The UI kit (test/ui/kit/) proven on tiny local pages: the fake-camera clips show what they
 * say, Debian's Chromium plays them through getUserMedia, and each camera mode, the track
 * recorder and the axe helper behave as the UI suites will rely on.
 */
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PixelImage } from '../../main/capture/types.js';
import { ANALYSIS, GATES } from '../../main/capture/thresholds.js';
import { loadBlazeFace } from '../../main/capture/blazeface-detector.js';
import type { CaptureRole } from '../../main/capture/types.js';
import { axeFindings, expectNoSeriousAxeViolations } from './kit/axe.js';
import { launchKioskBrowser, type KioskBrowser, type KioskBrowserOptions } from './kit/browser.js';
import {
  buildClip,
  CLIP_FACES,
  CLIP_FRAMES,
  CLIP_NAMES,
  CLIP_SIZE,
  frameJpeg,
  framePixels,
} from './kit/clips.js';
import { screenshot } from './kit/screens.js';
import { liveTracks, recordedTracks } from './kit/tracks.js';

/** Block grid the page and the clip are compared on (16:9). */
const GRID = { columns: 32, rows: 18 };
const BROWSER_TEST_TIMEOUT = 90_000;

/**
 * The page's side, as plain JavaScript (see TRACKS_INIT_SCRIPT for why not functions): opens
 * the camera into a <video> and measures the frame it shows.
 */
const PROBE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Camera probe</title></head>
<body><video playsinline muted></video>
<script>
window.probe = {
  stream: null,
  async start() {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 1280 }, height: { ideal: 720 } },
      });
      this.stream = stream;
      const video = document.querySelector('video');
      video.srcObject = stream;
      await video.play();
      await new Promise((resolve) => video.requestVideoFrameCallback(() => resolve()));
      const track = stream.getVideoTracks()[0];
      return { ok: true, width: video.videoWidth, height: video.videoHeight, label: track.label };
    } catch (error) {
      return { ok: false, name: error.name, message: error.message };
    }
  },
  stats(columns, rows) {
    const video = document.querySelector('video');
    const width = video.videoWidth;
    const height = video.videoHeight;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.drawImage(video, 0, 0);
    return blockStats(context.getImageData(0, 0, width, height).data, width, height, 4, columns, rows);
  },
  cloneTrack() {
    return this.stream.getVideoTracks()[0].clone();
  },
  stopAll() {
    for (const track of this.stream.getTracks()) track.stop();
  },
  async videoInputs() {
    return (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput').length;
  },
  async permission() {
    return (await navigator.permissions.query({ name: 'camera' })).state;
  },
};
${blockStats.toString()}
</script></body></html>`;

const AXE_BAD_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bad</title></head>
<body><main><h1>Start</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">
<button id="go"></button>
</main></body></html>`;

const AXE_CLEAN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Clean</title></head>
<body><main><h1>Start</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40" alt="Bank logo">
<button id="go">Begin verification</button>
</main></body></html>`;

const PAGES: Record<string, string> = {
  '/probe': PROBE_PAGE,
  '/axe-bad': AXE_BAD_PAGE,
  '/axe-clean': AXE_CLEAN_PAGE,
};

interface BlockStats {
  /** Mean R, G, B over the frame. */
  mean: [number, number, number];
  /** Luma standard deviation over the frame. */
  lumaStd: number;
  /** Mean luma per block, row by row. */
  blocks: number[];
}

type StartResult =
  | { ok: true; width: number; height: number; label: string }
  | { ok: false; name: string; message: string };

/**
 * Mean colour, luma spread and a grid of block lumas. Self-contained: the page gets its source
 * text, and the Node side runs it on the clip's own pixels, so both measure the same way.
 */
function blockStats(
  data: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
  columns: number,
  rows: number,
): BlockStats {
  const sums = [0, 0, 0];
  let lumaSum = 0;
  let lumaSquares = 0;
  const blocks = new Array<number>(columns * rows).fill(0);
  const counts = new Array<number>(columns * rows).fill(0);
  for (let y = 0; y < height; y += 1) {
    const row = Math.floor((y * rows) / height);
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * channels;
      const r = data[i] ?? 0;
      const g = data[i + 1] ?? 0;
      const b = data[i + 2] ?? 0;
      const luma = 0.299 * r + 0.587 * g + 0.114 * b;
      sums[0] = (sums[0] ?? 0) + r;
      sums[1] = (sums[1] ?? 0) + g;
      sums[2] = (sums[2] ?? 0) + b;
      lumaSum += luma;
      lumaSquares += luma * luma;
      const block = row * columns + Math.floor((x * columns) / width);
      blocks[block] = (blocks[block] ?? 0) + luma;
      counts[block] = (counts[block] ?? 0) + 1;
    }
  }
  const pixels = width * height;
  const meanLuma = lumaSum / pixels;
  return {
    mean: [(sums[0] ?? 0) / pixels, (sums[1] ?? 0) / pixels, (sums[2] ?? 0) / pixels],
    lumaStd: Math.sqrt(Math.max(0, lumaSquares / pixels - meanLuma * meanLuma)),
    blocks: blocks.map((sum, block) => sum / (counts[block] ?? 1)),
  };
}

function imageStats(image: PixelImage): BlockStats {
  return blockStats(image.data, image.width, image.height, image.channels, GRID.columns, GRID.rows);
}

function evaluate<T>(kiosk: KioskBrowser, expression: string): Promise<T> {
  return kiosk.page.evaluate(expression) as Promise<T>;
}

const startCamera = (kiosk: KioskBrowser) => evaluate<StartResult>(kiosk, 'probe.start()');
const frameStats = (kiosk: KioskBrowser) =>
  evaluate<BlockStats>(kiosk, `probe.stats(${GRID.columns}, ${GRID.rows})`);

let server: http.Server;
let origin: string;
const launchTimes: number[] = [];

async function openProbe(options: KioskBrowserOptions, pagePath = '/probe'): Promise<KioskBrowser> {
  const started = performance.now();
  const kiosk = await launchKioskBrowser(options);
  launchTimes.push(performance.now() - started);
  await kiosk.page.goto(`${origin}${pagePath}`);
  return kiosk;
}

/** Runs `body` with a browser that is closed afterwards whatever happens. */
async function withKiosk(
  options: KioskBrowserOptions,
  body: (kiosk: KioskBrowser) => Promise<void>,
  pagePath?: string,
): Promise<void> {
  const kiosk = await openProbe(options, pagePath);
  try {
    await body(kiosk);
  } finally {
    await kiosk.close();
  }
}

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const page = PAGES[request.url ?? ''];
    response.writeHead(page === undefined ? 404 : 200, {
      'content-type': 'text/html; charset=utf-8',
    });
    response.end(page ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // All clips up front, so the browser tests time Chromium rather than sharp.
  await Promise.all(CLIP_NAMES.map((name) => buildClip(name)));
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (launchTimes.length > 0) {
    const ms = launchTimes.map((t) => Math.round(t));
    console.log(`kiosk browser launch (launch + context + page), ms: ${ms.join(', ')}`);
  }
});

describe('fake-camera clips', () => {
  it.each(CLIP_NAMES)('%s is CLIP_FRAMES 1280x720 JPEG frames, reused once built', async (name) => {
    const file = await buildClip(name);
    const bytes = await readFile(file);
    const frameLength = bytes.length / CLIP_FRAMES;
    expect(Number.isInteger(frameLength)).toBe(true);
    const frames = Array.from({ length: CLIP_FRAMES }, (_, i) =>
      bytes.subarray(i * frameLength, (i + 1) * frameLength),
    );
    for (const frame of frames) {
      // SOI at the start, EOI at the end: the frames sit back to back with nothing between.
      expect([frame[0], frame[1]]).toEqual([0xff, 0xd8]);
      expect([frame.at(-2), frame.at(-1)]).toEqual([0xff, 0xd9]);
      const meta = await sharp(frame).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1280, 720]);
    }
    const { mtimeMs } = await stat(file);
    expect(await buildClip(name)).toBe(file);
    expect((await stat(file)).mtimeMs).toBe(mtimeMs);
    const first = await sharp(await frameJpeg(name)).metadata();
    expect([first.width, first.height]).toEqual([CLIP_SIZE.width, CLIP_SIZE.height]);
  });

  it('shows the faces CLIP_FACES lists, where it says (the on-device detector)', async () => {
    const detector = await loadBlazeFace();
    const found: Record<string, string> = {};
    // As the kiosk analyses them: selfie guidance frames, or an ID document's photo.
    const clips = [
      ['oneFace', 'selfie'],
      ['noFace', 'selfie'],
      ['twoFaces', 'selfie'],
      ['farFace', 'selfie'],
      ['darkFace', 'selfie'],
      ['idCard', 'id-photo'],
    ] as const satisfies readonly (readonly [string, CaptureRole])[];
    for (const [name, role] of clips) {
      const { data, info } = await sharp(await frameJpeg(name))
        .resize(ANALYSIS[role].longSide)
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const faces = await detector.detect(
        { ...info, data, channels: 3 },
        role,
        GATES[role].minFaceScore,
      );
      const expected = CLIP_FACES[name];
      found[name] = faces
        .map((f) => `${(f.width / info.height).toFixed(2)} (score ${f.score.toFixed(2)})`)
        .join(', ');
      expect(faces, `${name}: ${found[name]}`).toHaveLength(expected.length);
      for (const want of expected) {
        const match = faces.find(
          (f) =>
            Math.abs((f.x + f.width / 2) / info.width - want.centerX) < 0.05 &&
            Math.abs((f.y + f.height / 2) / info.height - want.centerY) < 0.06,
        );
        expect(match, `${name}: a face at ${want.centerX}, ${want.centerY}`).toBeDefined();
        // The detector's box grows a little at small inputs (oneFace: 0.36 at 320, 0.31 at 608).
        const relativeWidth = match!.width / info.height / want.widthShare;
        expect(relativeWidth, name).toBeGreaterThan(0.75);
        expect(relativeWidth, name).toBeLessThan(1.35);
      }
    }
    console.log(`detected face width / frame height: ${JSON.stringify(found)}`);
  });

  it('farFace is a small person on the same wall; darkFace is oneFace at ~15%', async () => {
    const wall = await framePixels('noFace');
    const far = await framePixels('farFace');
    const lit = await framePixels('oneFace');
    const dark = await framePixels('darkFace');
    // Where farFace differs from the bare wall: the head and shoulders (~2.4 face widths).
    let left = Infinity;
    let right = -Infinity;
    for (let p = 0; p < wall.width * wall.height; p += 1) {
      const diff = Math.abs(far.data[p * 3]! - wall.data[p * 3]!);
      if (diff > 24) {
        left = Math.min(left, p % wall.width);
        right = Math.max(right, p % wall.width);
      }
    }
    const personShare = (right - left) / CLIP_SIZE.height;
    expect(personShare).toBeGreaterThan(0.08 * 1.5);
    expect(personShare).toBeLessThan(0.08 * 3.5);
    expect(Math.abs((left + right) / 2 / CLIP_SIZE.width - 0.5)).toBeLessThan(0.05);

    const ratio = imageStats(dark).mean[1] / imageStats(lit).mean[1];
    expect(ratio).toBeGreaterThan(0.12);
    expect(ratio).toBeLessThan(0.18);
  });
});

describe('Chromium with the fake camera', () => {
  it(
    'plays oneFace: a live 1280x720 video that looks like the clip; stopping releases it',
    async () => {
      await withKiosk({ clip: 'oneFace' }, async (kiosk) => {
        expect(await liveTracks(kiosk.page)).toBe(0);
        const started = await startCamera(kiosk);
        expect(started).toMatchObject({ ok: true, width: 1280, height: 720 });
        expect(await liveTracks(kiosk.page)).toBe(1);
        expect(await evaluate(kiosk, 'probe.permission()')).toBe('granted');

        const page = await frameStats(kiosk);
        const clip = imageStats(await framePixels('oneFace'));
        // Not blank: a face on a wall has structure.
        expect(page.lumaStd).toBeGreaterThan(15);
        expect(Math.max(...page.blocks) - Math.min(...page.blocks)).toBeGreaterThan(60);
        // The clip's picture, at the clip's levels (the clip compensates Chromium's range).
        for (const c of [0, 1, 2]) expect(Math.abs(page.mean[c]! - clip.mean[c]!)).toBeLessThan(4);
        const blockDiff =
          page.blocks.reduce((sum, v, i) => sum + Math.abs(v - clip.blocks[i]!), 0) /
          page.blocks.length;
        expect(blockDiff).toBeLessThan(4);
        console.log(
          `oneFace page vs clip: mean ${page.mean.map((v) => v.toFixed(1))} vs ${clip.mean.map((v) => v.toFixed(1))}, block diff ${blockDiff.toFixed(2)}, luma std ${page.lumaStd.toFixed(1)} vs ${clip.lumaStd.toFixed(1)}`,
        );
        expect(Math.abs(page.lumaStd - clip.lumaStd)).toBeLessThan(4);

        // A clone holds the camera too, until it is stopped as well.
        await evaluate(kiosk, 'window.probeClone = probe.cloneTrack()');
        expect(await liveTracks(kiosk.page)).toBe(2);
        await evaluate(kiosk, 'probe.stopAll()');
        expect(await liveTracks(kiosk.page)).toBe(1);
        await evaluate(kiosk, 'window.probeClone.stop()');
        expect(await liveTracks(kiosk.page)).toBe(0);
        expect(await recordedTracks(kiosk.page)).toEqual([
          { kind: 'video', label: expect.stringContaining('oneFace'), readyState: 'ended' },
          { kind: 'video', label: expect.stringContaining('oneFace'), readyState: 'ended' },
        ]);
      });
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'plays darkFace much darker, at the clip own levels',
    async () => {
      await withKiosk({ clip: 'darkFace' }, async (kiosk) => {
        expect(await startCamera(kiosk)).toMatchObject({ ok: true, width: 1280, height: 720 });
        const page = await frameStats(kiosk);
        const dark = imageStats(await framePixels('darkFace'));
        const lit = imageStats(await framePixels('oneFace'));
        expect(page.mean[1]).toBeLessThan(lit.mean[1] * 0.25);
        // Without the clip's range compensation Chromium would crush it to ~2.
        expect(Math.abs(page.mean[1] - dark.mean[1])).toBeLessThan(4);
        console.log(
          `darkFace page vs clip: green mean ${page.mean[1].toFixed(1)} vs ${dark.mean[1].toFixed(1)} (oneFace ${lit.mean[1].toFixed(1)})`,
        );
        expect(page.lumaStd).toBeGreaterThan(2);
      });
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'noCamera: no video input, getUserMedia rejects with NotFoundError',
    async () => {
      await withKiosk({ noCamera: true }, async (kiosk) => {
        expect(await evaluate(kiosk, 'probe.videoInputs()')).toBe(0);
        expect(await startCamera(kiosk)).toMatchObject({ ok: false, name: 'NotFoundError' });
        expect(await liveTracks(kiosk.page)).toBe(0);
      });
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'denyCamera: blocked before asking, getUserMedia rejects with NotAllowedError',
    async () => {
      await withKiosk({ denyCamera: true }, async (kiosk) => {
        expect(await evaluate(kiosk, 'probe.permission()')).toBe('denied');
        expect(await evaluate(kiosk, 'probe.videoInputs()')).toBe(1);
        expect(await startCamera(kiosk)).toMatchObject({ ok: false, name: 'NotAllowedError' });
        expect(await liveTracks(kiosk.page)).toBe(0);
      });
    },
    BROWSER_TEST_TIMEOUT,
  );
});

describe('page helpers', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  let kiosk: KioskBrowser;

  beforeAll(async () => {
    kiosk = await openProbe({
      noCamera: true,
      viewport: { width: 800, height: 600 },
      locale: 'kk-KZ',
      recordTracks: false,
    });
  }, BROWSER_TEST_TIMEOUT);

  afterAll(async () => {
    await kiosk?.close();
  });

  it('applies the viewport and locale; screenshot saves a PNG of the viewport', async () => {
    expect(await evaluate(kiosk, '[innerWidth, innerHeight, navigator.language]')).toEqual([
      800,
      600,
      'kk-KZ',
    ]);
    const file = await screenshot(kiosk.page, 'kit test/probe');
    expect(file).toMatch(/[/\\]\.tmp[/\\]ui-screens[/\\]kit-test-probe\.png$/);
    const meta = await sharp(file).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 800, 600]);
  });

  it('liveTracks refuses to count without the recorder', async () => {
    await expect(liveTracks(kiosk.page)).rejects.toThrow(/not installed/);
  });

  it('the axe helper fails on unnamed images and buttons, with a readable message', async () => {
    await kiosk.page.goto(`${origin}/axe-bad`);
    const error = await expectNoSeriousAxeViolations(kiosk.page, 'bad page').then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^bad page: 2 serious or critical/);
    expect(message).toMatch(/- image-alt \[critical\] on img: .*https:\/\/dequeuniversity/);
    expect(message).toMatch(/- button-name \[critical\] on #go: /);
    // Skipping the rules (as a suite may, with a reason) is honoured.
    await expectNoSeriousAxeViolations(kiosk.page, 'bad page', {
      disableRules: ['image-alt', 'button-name'],
    });
  });

  it('the axe helper passes a clean page', async () => {
    await kiosk.page.goto(`${origin}/axe-clean`);
    await expectNoSeriousAxeViolations(kiosk.page, 'clean page');
    expect(await axeFindings(kiosk.page)).toEqual([]);
  });
});
