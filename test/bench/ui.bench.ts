/**
 * bench:ui — the kiosk's UI in Debian's Chromium on the browser harness, the whole kiosk in
 * training mode on the embedded emulator, in ONE run:
 *
 * 1. guidance on the selfie screen: frames/s over ~20 s and frame sent -> guidance on screen,
 *    with the main process's event-loop delay meanwhile;
 * 2. capture -> result on screen over ~20 customers, without the review screen's wait, broken
 *    down from outside the product (page probe + wrapped main-process services);
 * 3. 200 customers in a row in one page: renderer heap, main RSS, live camera tracks, failures;
 * 4. the renderer bundle's gzipped size and the time to the first attract screen;
 * 5. the named alternative: guidance frames as JSON arrays against binary, in Node;
 * 6. the staff console with 10,000 jobs: the queue list's opening and scrolling, against all
 *    rows in the DOM (ui-bench/console.ts), on a kiosk of its own; written as bench:ui-console.
 *
 * BENCH_ONLY=console runs part 6 alone (it writes its own section either way).
 * Reports, never asserts: exits non-zero only when something could not be measured.
 * BENCH_SESSIONS lowers part 3's 200 (and part 2's 20) for a quick try; only a full run
 * writes BENCHMARKS.md.
 */
import os from 'node:os';
import type { Page } from 'playwright-core';
import { launchKioskBrowser, type KioskBrowser } from '../ui/kit/browser.js';
import { startTestKiosk, type TestKiosk } from '../ui/kit/kiosk.js';
import { machineLine, writeBenchSection } from './bench-report.js';
import { bundleSizes, timeToFirstAttract } from './ui-bench/bundle.js';
import { measureCaptureToResult } from './ui-bench/capture-to-result.js';
import { screenSelector } from './ui-bench/customer.js';
import { measureGuidance } from './ui-bench/guidance.js';
import { garbageCollector, MainProbe } from './ui-bench/main-probe.js';
import { PROBE_INIT_SCRIPT } from './ui-bench/page-probe.js';
import { consoleSummary, markdown, type UiBenchResults } from './ui-bench/report.js';
import { soak } from './ui-bench/soak.js';
import { progress, spread } from './ui-bench/stats.js';
import { compareWireFormats } from './ui-bench/wire-alternative.js';
import { consoleMarkdown, measureConsole } from './ui-bench/console.js';

const FULL_SESSIONS = 200;
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? FULL_SESSIONS);
const CAPTURE_SESSIONS = Math.min(20, SESSIONS);
const GUIDANCE_SECONDS = 20;
const FIRST_ATTRACT_PAGES = 5;
const WIRE_ITERATIONS = 300;

/** Memory is read after these sessions: 10 (warm, the baseline), then along the way, the last. */
function checkpoints(sessions: number): number[] {
  const wanted = [Math.min(10, sessions), 50, 100, 150, sessions];
  return [...new Set(wanted.filter((n) => n >= 1 && n <= sessions))].sort((a, b) => a - b);
}

/** A browser playing `clip`, its page with the probe installed, on the kiosk's attract screen. */
async function openKiosk(
  kiosk: TestKiosk,
  clip: 'oneFace' | 'twoFaces',
): Promise<KioskBrowser & { page: Page }> {
  const browser = await launchKioskBrowser({ clip });
  await browser.page.addInitScript(PROBE_INIT_SCRIPT);
  await browser.page.goto(kiosk.url);
  await browser.page
    .locator(screenSelector('attract'))
    .waitFor({ state: 'visible', timeout: 30_000 });
  return browser;
}

async function withBrowser<T>(
  kiosk: TestKiosk,
  clip: 'oneFace' | 'twoFaces',
  run: (browser: KioskBrowser) => Promise<T>,
): Promise<T> {
  const browser = await openKiosk(kiosk, clip);
  try {
    return await run(browser);
  } finally {
    await browser.close();
  }
}

/** Part 6 on a kiosk of its own: its 10,000 jobs must not weigh on parts 1 to 3. */
async function consolePart(): Promise<void> {
  const kiosk = await startTestKiosk();
  try {
    const result = await measureConsole(kiosk);
    const section = `${machineLine()}\n\n${consoleMarkdown(result)}`;
    console.log(`\n${section}\n`);
    writeBenchSection('ui-console', section);
    progress('BENCHMARKS.md: section bench:ui-console written');
  } finally {
    await kiosk.close();
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'console') {
    await consolePart();
    return;
  }
  const started = performance.now();
  const loadStart = os.loadavg()[0]!;
  const gc = garbageCollector();
  // A kiosk bug inside a command must be counted by the sessions it breaks, not end the run.
  process.on('unhandledRejection', (error) => progress(`unhandled rejection: ${String(error)}`));

  progress('4. renderer bundle sizes');
  const bundle = bundleSizes();
  progress('starting the kiosk (training mode, embedded emulator, harness in this process)');
  const kiosk = await startTestKiosk();
  const mainProbe = new MainProbe(kiosk.kiosk);
  let chromium = '';
  try {
    const { firstAttract, guidance } = await withBrowser(kiosk, 'twoFaces', async (browser) => {
      chromium = `Chromium ${browser.browser.version()}`;
      progress(`4. first attract screen, ${FIRST_ATTRACT_PAGES} fresh pages`);
      const first = await timeToFirstAttract(browser.browser, kiosk.url, FIRST_ATTRACT_PAGES);
      progress(`1. guidance on the selfie screen for ${GUIDANCE_SECONDS} s (twoFaces clip)`);
      const measured = await measureGuidance(browser.page, mainProbe, GUIDANCE_SECONDS);
      progress(
        `   ${measured.framesPerSecond.toFixed(2)} frames/s, on screen p50 ${measured.onScreen.p50.toFixed(1)} ms`,
      );
      return { firstAttract: first, guidance: measured };
    });

    progress(`2. capture -> result, ${CAPTURE_SESSIONS} customers (oneFace clip)`);
    const capture = await withBrowser(kiosk, 'oneFace', (browser) =>
      measureCaptureToResult(browser.page, mainProbe, CAPTURE_SESSIONS),
    );

    progress(`3. ${SESSIONS} customers in a row in one page`);
    const soaked = await withBrowser(kiosk, 'oneFace', (browser) =>
      soak(browser.page, mainProbe, SESSIONS, checkpoints(SESSIONS), gc),
    );

    progress('5. guidance frame as a JSON array vs binary, in Node');
    const wire = await compareWireFormats(WIRE_ITERATIONS);

    const results: UiBenchResults = {
      machine: machineLine(),
      chromium,
      loadStart,
      loadEnd: os.loadavg()[0]!,
      minutes: (performance.now() - started) / 60_000,
      guidance,
      guidanceOneFace:
        capture.guidanceOnScreen.length === 0 ? null : spread(capture.guidanceOnScreen),
      capture,
      soak: soaked,
      bundle,
      firstAttract,
      wire,
    };
    const section = markdown(results);
    console.log(`\n${section}\n\nSummary\n${consoleSummary(results)}`);
    if (SESSIONS === FULL_SESSIONS) {
      writeBenchSection('ui', section);
      progress('BENCHMARKS.md: section bench:ui written');
    } else {
      progress(`BENCH_SESSIONS=${SESSIONS} (not ${FULL_SESSIONS}): BENCHMARKS.md left unchanged`);
    }
  } finally {
    await kiosk.close();
  }
  await consolePart();
}

try {
  await main();
} catch (error) {
  console.error('bench:ui could not measure:', error);
  // Whatever failed may have left a kiosk or a browser running: do not wait for them.
  process.exit(1);
}
