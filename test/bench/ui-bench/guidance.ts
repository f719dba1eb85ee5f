/**
 * Part 1: live guidance on the selfie screen. Frames per second the renderer sustains, and the
 * round trip from a frame leaving the renderer (WebSocket.send) to the animation frame after
 * its answer was handled ("on screen"), with the main process's event-loop delay meanwhile
 * (the harness and the services run in this process, so its loop is the kiosk main's).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { cpuWindow, type CpuShare } from './cpu.js';
import { currentScreen, openSelfieScreen, recoverToAttract } from './customer.js';
import type { MainProbe } from './main-probe.js';
import { drainProbe, pageNow } from './page-probe.js';
import { spread, type Spread } from './stats.js';

export interface GuidanceResult {
  seconds: number;
  frames: number;
  framesPerSecond: number;
  /** send -> next animation frame after the answer was handled. */
  onScreen: Spread;
  /** send -> answer received by the page. */
  wire: Spread;
  /** The analyze-frame handler in main (after the contract's validation). */
  mainHandler: Spread;
  /** Event-loop delay of this process over the window, ms (1 ms sampling). */
  loop: { p50: number; p99: number; max: number };
  cpu: CpuShare | null;
}

/** The camera opens and the first answers come back before the window starts. */
const WARM_UP_MS = 3_000;

export async function measureGuidance(
  page: Page,
  main: MainProbe,
  seconds: number,
): Promise<GuidanceResult> {
  await openSelfieScreen(page);
  await sleep(WARM_UP_MS);
  await drainProbe(page);
  main.drain();

  // 1 ms sampling, as bench:capture does: an idle loop reads about 1 ms.
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const endCpu = cpuWindow();
  const from = await pageNow(page);
  await sleep(seconds * 1000);
  const to = await pageNow(page);
  const cpu = endCpu();
  loop.disable();

  const screen = await currentScreen(page);
  const records = (await drainProbe(page)).commands.filter(
    (c) => c.channel === 'session:analyze-frame' && c.sentAt >= from && c.sentAt < to,
  );
  const handlers = main.drain().filter((c) => c.what === 'session:analyze-frame');
  await recoverToAttract(page);
  if (screen !== 'selfie') {
    throw new Error(`the selfie screen did not stay up for the window (ended on ${screen})`);
  }
  if (records.length === 0) throw new Error('no guidance frame was sent in the window');

  return {
    seconds: (to - from) / 1000,
    frames: records.length,
    framesPerSecond: records.length / ((to - from) / 1000),
    onScreen: spread(records.map((c) => c.paintedAt - c.sentAt)),
    wire: spread(records.map((c) => c.receivedAt - c.sentAt)),
    mainHandler: spread(handlers.map((c) => c.end - c.start)),
    loop: {
      p50: loop.percentile(50) / 1e6,
      p99: loop.percentile(99) / 1e6,
      max: loop.max / 1e6,
    },
    cpu,
  };
}
