/**
 * Part 3: many customers in a row in ONE page, as a kiosk runs all day. Renderer JS heap (CDP,
 * after a forced collection) and this process's RSS (after gc) at checkpoints, camera tracks
 * left live at the end, and every session that did not reach its result.
 */
import type { CDPSession, Page } from 'playwright-core';
import { liveTracks } from '../../ui/kit/tracks.js';
import { cpuWindow, type CpuShare } from './cpu.js';
import { recoverToAttract, runCustomer } from './customer.js';
import { settledRss, type MainProbe } from './main-probe.js';
import { setProbeRecording } from './page-probe.js';
import { progress } from './stats.js';

export interface MemoryPoint {
  session: number;
  rendererHeap: number;
  /** DOM nodes and JS event listeners in the page (Performance.getMetrics): leak indicators. */
  domNodes: number;
  listeners: number;
  mainRss: number;
  mainHeap: number;
}

export interface SoakResult {
  sessions: number;
  failed: number;
  failures: string[];
  reloads: number;
  results: Record<string, number>;
  points: MemoryPoint[];
  liveTracksAtEnd: number;
  secondsPerSession: number;
  cpu: CpuShare | null;
}

/**
 * The kit's recorder keeps every track the page ever got (window.__kioskTracks); ended ones
 * are dropped after each session so the bench's own bookkeeping does not grow the heap it
 * measures. Live ones stay and are counted at the end.
 */
const PRUNE_ENDED_TRACKS = `(() => {
  const tracks = window.__kioskTracks;
  if (tracks === undefined) return;
  const live = tracks.filter((t) => t.readyState === 'live');
  tracks.length = 0;
  tracks.push(...live);
})()`;

async function memoryPoint(session: number, cdp: CDPSession, gc: () => void): Promise<MemoryPoint> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string): number => metrics.find((m) => m.name === name)?.value ?? NaN;
  const mainRss = settledRss(gc);
  return {
    session,
    rendererHeap: heap.usedSize,
    domNodes: metric('Nodes'),
    listeners: metric('JSEventListeners'),
    mainRss,
    mainHeap: process.memoryUsage().heapUsed,
  };
}

export async function soak(
  page: Page,
  main: MainProbe,
  sessions: number,
  checkpoints: readonly number[],
  gc: () => void,
): Promise<SoakResult> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  // The probes' records would grow the memory being measured.
  await setProbeRecording(page, false);
  main.recording = false;
  main.drain();
  const failures: string[] = [];
  const results: Record<string, number> = {};
  const points: MemoryPoint[] = [];
  let reloads = 0;
  const started = performance.now();
  const endCpu = cpuWindow();
  for (let session = 1; session <= sessions; session += 1) {
    const outcome = await runCustomer(page);
    if (outcome.ok) {
      results[outcome.result] = (results[outcome.result] ?? 0) + 1;
    } else {
      failures.push(
        `session ${session}: ${outcome.failedAt} (on ${outcome.screen}): ${outcome.error}`,
      );
      progress(`  session ${session} FAILED at ${outcome.failedAt}: ${outcome.error}`);
      if ((await recoverToAttract(page)) === 'reload') {
        reloads += 1;
        await setProbeRecording(page, false);
      }
    }
    await page.evaluate(PRUNE_ENDED_TRACKS);
    if (checkpoints.includes(session)) {
      const point = await memoryPoint(session, cdp, gc);
      points.push(point);
      progress(
        `  session ${session}: renderer heap ${(point.rendererHeap / 2 ** 20).toFixed(1)} MB, main RSS ${(point.mainRss / 2 ** 20).toFixed(1)} MB, DOM nodes ${point.domNodes}`,
      );
    }
    if (session % 10 === 0) {
      const perSession = (performance.now() - started) / 1000 / session;
      progress(
        `  soak ${session}/${sessions}: ${failures.length} failed, ${perSession.toFixed(1)} s per session`,
      );
    }
  }
  const secondsPerSession = (performance.now() - started) / 1000 / sessions;
  const cpu = endCpu();
  const liveTracksAtEnd = await liveTracks(page);
  await cdp.detach();
  return {
    sessions,
    failed: failures.length,
    failures,
    reloads,
    results,
    points,
    liveTracksAtEnd,
    secondsPerSession,
    cpu,
  };
}
