/** bench:ui's BENCHMARKS.md section and console summary, from the five parts' results. */
import type { BundleSizes, FirstAttract } from './bundle.js';
import type { CaptureResult } from './capture-to-result.js';
import type { GuidanceResult } from './guidance.js';
import type { SoakResult } from './soak.js';
import { describeCpu } from './cpu.js';
import { kb, mb, ms, type Spread } from './stats.js';
import type { WireComparison } from './wire-alternative.js';

export interface UiBenchResults {
  machine: string;
  chromium: string;
  loadStart: number;
  loadEnd: number;
  minutes: number;
  guidance: GuidanceResult;
  /** Guidance answers seen with the oneFace clip during part 2 (short bursts before capture). */
  guidanceOneFace: Spread | null;
  capture: CaptureResult;
  soak: SoakResult;
  bundle: BundleSizes;
  firstAttract: FirstAttract;
  wire: WireComparison;
}

export interface SummaryRow {
  measure: string;
  result: string;
  goal: string;
  met: boolean | null;
}

const GOALS = {
  framesPerSecond: 10,
  guidanceP50: 100,
  loopP99: 10,
  captureP50: 400,
  growthBytes: 50 * 2 ** 20,
  bundleBytes: 250 * 1024,
};

const p50p99 = (s: Spread): string => `${ms(s.p50)} / ${ms(s.p99)}`;
const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}x`;
const metText = (met: boolean | null): string => (met === null ? '' : met ? 'yes' : '**NO**');

export function summaryRows(r: UiBenchResults): SummaryRow[] {
  const first = r.soak.points.find((p) => p.session === 10) ?? r.soak.points[0]!;
  const lastPoint = r.soak.points.at(-1)!;
  const heapGrowth = lastPoint.rendererHeap - first.rendererHeap;
  const rssGrowth = lastPoint.mainRss - first.mainRss;
  const bundle = r.bundle.jsGzip + r.bundle.cssGzip;
  const wire = r.wire;
  return [
    {
      measure: '1. guidance frames per second, selfie screen (twoFaces clip)',
      result: `${r.guidance.framesPerSecond.toFixed(2)} (${r.guidance.frames} in ${r.guidance.seconds.toFixed(1)} s)`,
      goal: `>= ${GOALS.framesPerSecond}`,
      met: r.guidance.framesPerSecond >= GOALS.framesPerSecond,
    },
    {
      measure: '1. frame sent -> its guidance on screen, p50 / p99',
      result: p50p99(r.guidance.onScreen),
      goal: `p50 <= ${GOALS.guidanceP50} ms`,
      met: r.guidance.onScreen.p50 <= GOALS.guidanceP50,
    },
    {
      measure: '1. main event-loop delay meanwhile, p99 (max)',
      result: `${ms(r.guidance.loop.p99)} (${ms(r.guidance.loop.max)})`,
      goal: `<= ${GOALS.loopP99} ms`,
      met: r.guidance.loop.p99 <= GOALS.loopP99,
    },
    {
      measure: `2. capture -> result on screen without the review wait, p50 / p99 (${r.capture.spreads.pure.n} sessions)`,
      result: p50p99(r.capture.spreads.pure),
      goal: `p50 <= ${GOALS.captureP50} ms`,
      met: r.capture.spreads.pure.p50 <= GOALS.captureP50,
    },
    {
      measure: `3. renderer JS heap growth, session ${first.session} -> ${lastPoint.session}`,
      result: `${mb(heapGrowth)} (${mb(first.rendererHeap)} -> ${mb(lastPoint.rendererHeap)})`,
      goal: '<= 50 MB',
      met: heapGrowth <= GOALS.growthBytes,
    },
    {
      measure: `3. main RSS growth, session ${first.session} -> ${lastPoint.session}`,
      result: `${mb(rssGrowth)} (${mb(first.mainRss)} -> ${mb(lastPoint.mainRss)})`,
      goal: '<= 50 MB',
      met: rssGrowth <= GOALS.growthBytes,
    },
    {
      measure: `3. camera tracks live after ${r.soak.sessions} sessions`,
      result: String(r.soak.liveTracksAtEnd),
      goal: '0',
      met: r.soak.liveTracksAtEnd === 0,
    },
    {
      measure: `3. sessions that failed, of ${r.soak.sessions}`,
      result: `${r.soak.failed}${r.soak.reloads > 0 ? ` (${r.soak.reloads} page reloads)` : ''}`,
      goal: '',
      met: null,
    },
    {
      measure: '4. renderer bundle gzipped, JS + CSS (no fonts)',
      result: `${kb(bundle)} (JS ${kb(r.bundle.jsGzip)}, CSS ${kb(r.bundle.cssGzip)})`,
      goal: '<= 250 KB',
      met: bundle <= GOALS.bundleBytes,
    },
    {
      measure: '4. page.goto -> attract visible, median of 5 fresh pages',
      result: ms(r.firstAttract.median),
      goal: '',
      met: null,
    },
    {
      measure: '5. guidance frame as JSON array vs binary: size, encode p50, decode p50',
      result: `${ratio(wire.json.bytes, wire.binary.bytes)}, ${ratio(wire.json.encode.p50, wire.binary.encode.p50)}, ${ratio(wire.json.decode.p50, wire.binary.decode.p50)} larger / slower`,
      goal: '',
      met: null,
    },
  ];
}

function summaryTable(rows: SummaryRow[]): string {
  return [
    '| Measure | Result | Goal | Met |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.measure} | ${row.result} | ${row.goal} | ${metText(row.met)} |`),
  ].join('\n');
}

function guidanceSection(r: UiBenchResults): string {
  const g = r.guidance;
  const oneFace =
    r.guidanceOneFace === null
      ? ''
      : ` With the oneFace clip (the frames before each auto-capture in part 2, ${r.guidanceOneFace.n} frames): on screen p50 / p99 ${p50p99(r.guidanceOneFace)}.`;
  return `### 1. Guidance on the selfie screen

${g.seconds.toFixed(1)} s on the selfie screen with the twoFaces clip (guidance never turns "ok", so the screen never captures by itself and the window is continuous): **${g.framesPerSecond.toFixed(2)} frames/s** (the renderer sends a frame when the last one has answered and its slot on a 90 ms schedule has come, ~11 a second so that 10 are sustained; after a slow answer it sends the next ones at once until it is back on schedule, up to three frames behind).

| frame 320x240 RGBA | p50 | p99 | max |
| --- | --- | --- | --- |
| send -> guidance on screen | ${ms(g.onScreen.p50)} | ${ms(g.onScreen.p99)} | ${ms(g.onScreen.max)} |
| send -> answer received by the page | ${ms(g.wire.p50)} | ${ms(g.wire.p99)} | ${ms(g.wire.max)} |
| analyze-frame handler in main | ${ms(g.mainHandler.p50)} | ${ms(g.mainHandler.p99)} | ${ms(g.mainHandler.max)} |
| main event-loop delay (1 ms sampling, idle reads ~1 ms) | ${ms(g.loop.p50)} | ${ms(g.loop.p99)} | ${ms(g.loop.max)} |

${describeCpu(g.cpu)}.${oneFace}`;
}

function captureSection(r: UiBenchResults): string {
  const s = r.capture.spreads;
  const row = (label: string, spread: Spread): string =>
    `| ${label} | ${ms(spread.p50)} | ${ms(spread.p99)} | ${ms(spread.mean)} |`;
  const results = Object.entries(r.capture.results)
    .map(([screen, count]) => `${count} ${screen}`)
    .join(', ');
  return `### 2. Capture to result on screen (embedded emulator)

${s.pure.n} customers (after 2 to warm up), oneFace clip, default settings (auto-capture after 1 s of steady "ok"); the bench clicks continue as soon as the review screen is visible, and that wait (p50 ${ms(s.reviewWait.p50)}: Playwright's actionability checks) is left out. Capture frame: ${kb(s.captureBytes.p50)} binary (1280x720 RGBA, the fake camera's size). Results: ${results}; failed: ${r.capture.failed}. Page and main clocks differ by ${r.capture.clock.offset.toFixed(2)} ms (+/- ${r.capture.clock.uncertainty.toFixed(2)} ms, measured and corrected).

| step | p50 | p99 | mean |
| --- | --- | --- | --- |
${row('**capture send -> review on screen**', s.captureToReview)}
${row('- send -> capture handler starts in main', s.captureUpload)}
${row("-- of which send -> its first bytes read in main (Chromium's WebSocket, loopback)", s.captureFirstByte)}
${row('-- then first bytes -> the whole message in main (the stream, ws assembling it)', s.captureStream)}
${row('-- then decodeBinaryCommand and the contract validation', s.captureDecode)}
${row('- capture handler in main', s.captureMain)}
${row('-- of which captureFrame (resize, JPEG, face detection, gates)', s.capturePrepare)}
${row('- handler done -> answer received by the page', s.captureReply)}
${row('- answer -> review on screen (state machine, React render, paint)', s.captureRender)}
${row('**continue click -> result on screen**', s.clickToResult)}
${row('- click -> verify command sent (state machine, sending screen render)', s.clickToVerifySend)}
${row('- send -> verify handler starts in main', s.verifyUpload)}
${row('- verify handler in main (keychain, HTTP upload to the emulator, its answer, the queue record)', s.verifyMain)}
${row(`-- of which the emulator's face detection (ran in ${r.capture.detectRuns} of ${s.emulatorDetectCalls.n} sessions; it remembers faces by pixel hash, and the clip gives the same picture every time)`, s.emulatorDetect)}
${row('- handler done -> answer received by the page', s.verifyReply)}
${row('- answer -> result on screen', s.verifyRender)}
${row('**sum (the figure with the goal)**', s.pure)}
| (left out) review on screen -> bench's click | ${ms(s.reviewWait.p50)} | ${ms(s.reviewWait.p99)} | ${ms(s.reviewWait.mean)} |

${describeCpu(r.capture.cpu)}.`;
}

function soakSection(r: UiBenchResults): string {
  const s = r.soak;
  const results = Object.entries(s.results)
    .map(([screen, count]) => `${count} ${screen}`)
    .join(', ');
  const points = s.points
    .map(
      (p) =>
        `| ${p.session} | ${mb(p.rendererHeap)} | ${p.domNodes} | ${p.listeners} | ${mb(p.mainRss)} | ${mb(p.mainHeap)} |`,
    )
    .join('\n');
  const failures =
    s.failures.length === 0
      ? ''
      : `\n\nFailures:\n${s.failures
          .slice(0, 10)
          .map((f) => `- ${f}`)
          .join('\n')}${s.failures.length > 10 ? `\n- ... ${s.failures.length - 10} more` : ''}`;
  return `### 3. ${s.sessions} customers in a row in one page

attract -> start -> consent-agree -> selfie (auto-capture) -> review continue -> result -> done, ${s.secondsPerSession.toFixed(1)} s per customer. Results: ${results}; failed: **${s.failed}**; camera tracks live at the end: **${s.liveTracksAtEnd}**. Renderer heap: CDP HeapProfiler.collectGarbage (twice) then Runtime.getHeapUsage; main: RSS of this process (harness, services, face worker thread) after global.gc() twice.

| after session | renderer JS heap | DOM nodes | JS listeners | main RSS | main JS heap |
| --- | --- | --- | --- | --- | --- |
${points}

${describeCpu(s.cpu)}.${failures}`;
}

function bundleSection(r: UiBenchResults): string {
  const b = r.bundle;
  const files = b.files.map((f) => `| ${f.name} | ${kb(f.raw)} | ${kb(f.gzip)} |`).join('\n');
  return `### 4. Renderer bundle and first screen

| dist/renderer/assets | raw | gzip (level 6) |
| --- | --- | --- |
${files}
| **JS + CSS** | ${kb(b.jsRaw + b.cssRaw)} | **${kb(b.jsGzip + b.cssGzip)}** |

Fonts (left out of the goal): ${kb(b.fonts)}. First attract screen on a fresh page (new browser context, the token redirect included): median ${ms(r.firstAttract.median)} (${r.firstAttract.samples.map((v) => v.toFixed(0)).join(', ')} ms) from page.goto to Playwright seeing it visible; in the page, navigation start -> the frame after it appeared: ${ms(r.firstAttract.inPageMedian)}.`;
}

function wireSection(r: UiBenchResults): string {
  const w = r.wire;
  return `### 5. The alternative: guidance frames as JSON arrays

One ${w.width}x${w.height} RGBA guidance frame (the oneFace scene), ${w.iterations} rounds each, interleaved, in Node ${process.version}. Encode: JSON.stringify with Array.from(data) vs encodeCommand; decode: the received bytes to a command (toString + JSON.parse vs decodeBinaryCommand).

| | message | encode p50 (p99) | decode p50 (p99) |
| --- | --- | --- | --- |
| JSON array | ${kb(w.json.bytes)} | ${ms(w.json.encode.p50)} (${ms(w.json.encode.p99)}) | ${ms(w.json.decode.p50)} (${ms(w.json.decode.p99)}) |
| binary (harness-wire.ts) | ${kb(w.binary.bytes)} | ${ms(w.binary.encode.p50)} (${ms(w.binary.encode.p99)}) | ${ms(w.binary.decode.p50)} (${ms(w.binary.decode.p99)}) |
| **JSON / binary** | **${ratio(w.json.bytes, w.binary.bytes)}** | **${ratio(w.json.encode.p50, w.binary.encode.p50)}** | **${ratio(w.json.decode.p50, w.binary.decode.p50)}** |

The JSON side would also need Uint8Array.from(array) before the contract accepts the frame: p50 ${ms(w.jsonToUint8Array.p50)} more.`;
}

export function markdown(r: UiBenchResults): string {
  return `## bench:ui

${r.machine}. ${r.chromium}, headless, fake camera playing Motion JPEG clips of the demo faces (test/ui/kit). The kiosk in training mode on the embedded emulator: the harness (main/web) and the real services run in the bench's own process, so its event loop and RSS are the main process's; the face worker is a thread of it. Whole run ${r.minutes.toFixed(1)} min; 1-min load average ${r.loadStart.toFixed(1)} at the start, ${r.loadEnd.toFixed(1)} at the end (2 cores: above 2 means something else shared them).

Timing in the page without changing the renderer: an init script wraps WebSocket.prototype.send (binary commands' header gives id and channel) and the socket's message listeners (the reply with the same id), and watches the screens' \`data-screen\` and clicks; "on screen" is the first requestAnimationFrame callback after the reply's handler (or the screen's DOM change) ran.

${summaryTable(summaryRows(r))}

${guidanceSection(r)}

${captureSection(r)}

${soakSection(r)}

${bundleSection(r)}

${wireSection(r)}`;
}

/** The console's closing table: the same rows, aligned. */
export function consoleSummary(r: UiBenchResults): string {
  const rows = summaryRows(r);
  const width = Math.max(...rows.map((row) => row.measure.length));
  return rows
    .map(
      (row) =>
        `${row.measure.padEnd(width)}  ${row.result}${row.goal === '' ? '' : `  [goal ${row.goal}: ${row.met ? 'met' : 'NOT met'}]`}`,
    )
    .join('\n');
}
