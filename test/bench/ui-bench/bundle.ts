/**
 * Part 4: the renderer as shipped. Gzipped size of the built assets (JS and CSS apart; fonts
 * are left out of the goal and listed), and the time from page.goto to the attract screen on
 * fresh pages (a new browser context each: no cookie, no cache).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { REPO_ROOT } from '../../ui/kit/paths.js';
import { screenSelector } from './customer.js';
import { drainProbe, PROBE_INIT_SCRIPT } from './page-probe.js';
import { median } from './stats.js';

export interface BundleSizes {
  jsRaw: number;
  jsGzip: number;
  cssRaw: number;
  cssGzip: number;
  /** Font files (not in the goal), raw bytes: woff2 is compressed already. */
  fonts: number;
  otherRaw: number;
  files: { name: string; raw: number; gzip: number }[];
}

const ASSETS = join(REPO_ROOT, 'dist', 'renderer', 'assets');
const FONT_EXTENSIONS = new Set(['.woff2', '.woff', '.ttf', '.otf']);

/** zlib's default level (6), what an HTTP server or Vite's own size report uses. */
export function bundleSizes(): BundleSizes {
  const sizes: BundleSizes = {
    jsRaw: 0,
    jsGzip: 0,
    cssRaw: 0,
    cssGzip: 0,
    fonts: 0,
    otherRaw: 0,
    files: [],
  };
  for (const name of readdirSync(ASSETS).sort()) {
    const bytes = readFileSync(join(ASSETS, name));
    const extension = extname(name);
    if (FONT_EXTENSIONS.has(extension)) {
      sizes.fonts += bytes.length;
      continue;
    }
    if (extension !== '.js' && extension !== '.css') {
      sizes.otherRaw += bytes.length;
      continue;
    }
    const gzip = gzipSync(bytes).length;
    sizes.files.push({ name, raw: bytes.length, gzip });
    if (extension === '.js') {
      sizes.jsRaw += bytes.length;
      sizes.jsGzip += gzip;
    } else {
      sizes.cssRaw += bytes.length;
      sizes.cssGzip += gzip;
    }
  }
  if (sizes.files.length === 0) throw new Error(`no built renderer assets in ${ASSETS}`);
  return sizes;
}

export interface FirstAttract {
  /** page.goto -> attract visible, as Playwright sees it (ms), each sample. */
  samples: number[];
  median: number;
  /** In the page: navigation start -> the animation frame after attract appeared (ms). */
  inPageMedian: number;
}

export async function timeToFirstAttract(
  browser: Browser,
  url: string,
  pages: number,
): Promise<FirstAttract> {
  const samples: number[] = [];
  const inPage: number[] = [];
  for (let i = 0; i < pages; i += 1) {
    const context = await browser.newContext();
    try {
      await context.addInitScript(PROBE_INIT_SCRIPT);
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(url);
      await page.locator(screenSelector('attract')).waitFor({ state: 'visible', timeout: 30_000 });
      samples.push(performance.now() - started);
      const origin = await page.evaluate<number>('performance.timeOrigin');
      const attract = (await drainProbe(page)).screens.find((s) => s.screen === 'attract');
      if (attract !== undefined) inPage.push(attract.paintedAt - origin);
    } finally {
      await context.close();
    }
  }
  return { samples, median: median(samples), inPageMedian: median(inPage) };
}
