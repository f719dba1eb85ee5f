/**
 * Part 2: from the capture command leaving the renderer to the result on screen, on the
 * embedded emulator, without the time the review screen waited for the bench's click. Two
 * pure parts: capture send -> review on screen, and the continue click -> result on screen.
 * Each is broken down with timestamps taken from outside the product: the page probe (send,
 * reply, paint) and the wrapped main-process handlers (./main-probe.ts), on one clock.
 */
import type { Page } from 'playwright-core';
import { cpuWindow, type CpuShare } from './cpu.js';
import { recoverToAttract, runCustomer } from './customer.js';
import { clockOffset, type MainCall, type MainProbe } from './main-probe.js';
import { drainProbe, type CommandRecord, type ProbeRecords } from './page-probe.js';
import { progress, spread, type Spread } from './stats.js';

/** One session's timings, ms. */
export interface CaptureSample {
  /** Capture send -> review on screen. */
  captureToReview: number;
  /** Continue click -> result on screen. */
  clickToResult: number;
  /** The sum: capture to result without the review's wait. */
  pure: number;
  /** Excluded: review on screen -> the bench's click. */
  reviewWait: number;
  captureWire: number;
  captureUpload: number;
  /** Of captureUpload: send -> its first bytes read in main (Chromium's WebSocket, loopback). */
  captureFirstByte: number;
  /** Of captureUpload: first bytes -> the whole message in main (the stream, ws assembling it). */
  captureStream: number;
  /** Of captureUpload: the whole message in main -> handler start (decode, validation). */
  captureDecode: number;
  captureMain: number;
  capturePrepare: number;
  captureReply: number;
  captureRender: number;
  clickToVerifySend: number;
  verifyUpload: number;
  verifyMain: number;
  emulatorDetect: number;
  /** How many times the emulator ran face detection (0: it had seen the picture before). */
  emulatorDetectCalls: number;
  verifyReply: number;
  verifyRender: number;
  captureBytes: number;
}

export interface CaptureResult {
  sessions: number;
  failed: number;
  failures: string[];
  results: Record<string, number>;
  clock: { offset: number; uncertainty: number };
  spreads: Record<keyof CaptureSample, Spread>;
  /** Guidance frames seen before each capture (oneFace clip): send -> on screen, ms. */
  guidanceOnScreen: number[];
  /** Sessions in which the emulator ran face detection at all. */
  detectRuns: number;
  /** Over the measured sessions. */
  cpu: CpuShare | null;
}

/** Customers before the measured ones: the JIT, sharp, the emulator's first answers. */
const WARM_UP_SESSIONS = 2;

export async function measureCaptureToResult(
  page: Page,
  main: MainProbe,
  sessions: number,
): Promise<CaptureResult> {
  const clock = await clockOffset(page);
  progress(
    `  page clock - main clock: ${clock.offset.toFixed(2)} ms (+/- ${clock.uncertainty.toFixed(2)} ms)`,
  );
  const samples: CaptureSample[] = [];
  const failures: string[] = [];
  const results: Record<string, number> = {};
  const guidanceOnScreen: number[] = [];
  let endCpu = cpuWindow();
  for (let i = -WARM_UP_SESSIONS; i < sessions; i += 1) {
    if (i === 0) endCpu = cpuWindow();
    await drainProbe(page);
    main.drain();
    const outcome = await runCustomer(page);
    const records = await drainProbe(page);
    const calls = main.drain();
    if (i < 0) continue;
    for (const c of records.commands) {
      if (c.channel === 'session:analyze-frame') guidanceOnScreen.push(c.paintedAt - c.sentAt);
    }
    if (!outcome.ok) {
      failures.push(`${outcome.failedAt} (on ${outcome.screen}): ${outcome.error}`);
      await recoverToAttract(page);
      continue;
    }
    results[outcome.result] = (results[outcome.result] ?? 0) + 1;
    const sample = sampleOf(records, calls, clock.offset);
    if (sample === null) {
      failures.push('timestamps missing (a screen or reply was not seen)');
      continue;
    }
    samples.push(sample);
    progress(
      `  capture ${i + 1}/${sessions}: ${sample.pure.toFixed(0)} ms (capture->review ${sample.captureToReview.toFixed(0)}, click->result ${sample.clickToResult.toFixed(0)}) ${outcome.result}`,
    );
  }
  const cpu = endCpu();
  if (samples.length === 0) throw new Error(`no session completed: ${failures.join('; ')}`);
  const keys = Object.keys(samples[0]!) as (keyof CaptureSample)[];
  const spreads = Object.fromEntries(
    keys.map((key) => [key, spread(samples.map((s) => s[key]))]),
  ) as Record<keyof CaptureSample, Spread>;
  const detectRuns = samples.filter((s) => s.emulatorDetectCalls > 0).length;
  return {
    sessions,
    failed: failures.length,
    failures,
    results,
    clock,
    spreads,
    guidanceOnScreen,
    detectRuns,
    cpu,
  };
}

function last<T>(items: readonly T[], keep: (item: T) => boolean): T | undefined {
  return items.filter(keep).at(-1);
}

/** The main call of `what` that ran while the page waited on `command` (page clock). */
function callDuring(
  calls: readonly MainCall[],
  what: string,
  command: CommandRecord,
  offset: number,
): MainCall | undefined {
  return last(
    calls,
    (c) =>
      c.what === what &&
      c.start + offset >= command.sentAt - 1 &&
      c.end + offset <= command.receivedAt + 1,
  );
}

function sampleOf(records: ProbeRecords, calls: MainCall[], offset: number): CaptureSample | null {
  const capture = last(records.commands, (c) => c.channel === 'session:capture');
  const verify = last(records.commands, (c) => c.channel === 'session:verify');
  if (capture === undefined || verify === undefined) return null;
  const review = records.screens.find((s) => s.screen === 'review' && s.at >= capture.sentAt);
  const click = last(records.clicks, (c) => c.testId === 'continue');
  const result = records.screens.find((s) => s.screen.startsWith('result-'));
  const captureCall = callDuring(calls, 'session:capture', capture, offset);
  const prepare = callDuring(calls, 'captureFrame', capture, offset);
  const verifyCall = callDuring(calls, 'session:verify', verify, offset);
  const arrived = callDuring(calls, 'binary message received', capture, offset);
  if (!arrived) return null;
  // The capture's first bytes: the first chunk read after it was sent and after the message
  // before it (a guidance frame still arriving) was complete.
  const before = last(
    calls,
    (c) => c.what === 'binary message received' && c.start < arrived.start,
  );
  const firstChunk = calls.find(
    (c) =>
      c.what === 'socket chunk' &&
      c.start + offset >= capture.sentAt - 1 &&
      c.start > (before?.start ?? -Infinity),
  );
  if (!review || !click || !result || !captureCall || !prepare || !verifyCall || !firstChunk) {
    return null;
  }
  const detects = calls.filter(
    (c) => c.what === 'emulator detectFaces' && c.start >= verifyCall.start,
  );
  const captureToReview = review.paintedAt - capture.sentAt;
  const clickToResult = result.paintedAt - click.at;
  return {
    captureToReview,
    clickToResult,
    pure: captureToReview + clickToResult,
    reviewWait: click.at - review.paintedAt,
    captureWire: capture.receivedAt - capture.sentAt,
    captureUpload: captureCall.start + offset - capture.sentAt,
    captureFirstByte: firstChunk.start + offset - capture.sentAt,
    captureStream: arrived.start - firstChunk.start,
    captureDecode: captureCall.start - arrived.start,
    captureMain: captureCall.end - captureCall.start,
    capturePrepare: prepare.end - prepare.start,
    captureReply: capture.receivedAt - (captureCall.end + offset),
    captureRender: review.paintedAt - capture.receivedAt,
    clickToVerifySend: verify.sentAt - click.at,
    verifyUpload: verifyCall.start + offset - verify.sentAt,
    verifyMain: verifyCall.end - verifyCall.start,
    emulatorDetect: detects.reduce((sum, c) => sum + (c.end - c.start), 0),
    emulatorDetectCalls: detects.length,
    verifyReply: verify.receivedAt - (verifyCall.end + offset),
    verifyRender: result.paintedAt - verify.receivedAt,
    captureBytes: capture.bytes,
  };
}
