/**
 * Kiosk care: a crash, a lost GPU process, a failed load or a hang reloads the attract screen,
 * logged; a crash loop backs off instead of spinning; a hung renderer is caught by the
 * heartbeat even when nobody touches the screen. On an injected clock and stand-in window.
 */
import { EventEmitter } from 'node:events';
import type { App } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  HangWatch,
  isGpuLoss,
  isRendererFailure,
  RecoveryPolicy,
  watchRenderer,
} from '../../main/electron/kiosk-care.js';
import { FakeWindow } from './fake-electron.js';

class Clock {
  t = 0;
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

describe('RecoveryPolicy', () => {
  it('reloads a first crash at once', () => {
    const policy = new RecoveryPolicy({ now: new Clock().now });
    expect(policy.failed()).toEqual({ delayMs: 0, inARow: 1 });
  });

  it('backs off a crash loop, 1 s doubling to at most 5 minutes, so it never spins', () => {
    const clock = new Clock();
    const policy = new RecoveryPolicy({ now: clock.now });
    const delays: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const decision = policy.failed();
      delays.push(decision?.delayMs ?? -1);
      clock.advance(decision?.delayMs ?? 0);
      policy.reloaded();
      clock.advance(500); // the new renderer dies half a second later
    }
    expect(delays).toEqual([
      0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000,
    ]);
  });

  it('counts a failure after a stable spell as the first again', () => {
    const clock = new Clock();
    const policy = new RecoveryPolicy({ now: clock.now });
    policy.failed();
    policy.reloaded();
    policy.failed();
    policy.reloaded();
    clock.advance(2 * 60_000);
    expect(policy.failed()).toEqual({ delayMs: 0, inARow: 1 });
  });

  it('makes one recovery of failures reported while one is scheduled', () => {
    const policy = new RecoveryPolicy({ now: new Clock().now });
    expect(policy.failed()).not.toBeNull();
    expect(policy.failed()).toBeNull();
    policy.reloaded();
    expect(policy.failed()).not.toBeNull();
  });
});

describe('HangWatch', () => {
  it('calls a renderer hung when a heartbeat goes unanswered for 30 s', () => {
    const clock = new Clock();
    const hangs = new HangWatch({ now: clock.now });
    expect(hangs.shouldSendHeartbeat()).toBe(true);
    expect(hangs.shouldSendHeartbeat()).toBe(false); // one outstanding at a time
    clock.advance(29_999);
    expect(hangs.isHung()).toBe(false);
    clock.advance(1);
    expect(hangs.isHung()).toBe(true);
  });

  it('is content with an answered heartbeat', () => {
    const clock = new Clock();
    const hangs = new HangWatch({ now: clock.now });
    hangs.shouldSendHeartbeat();
    clock.advance(1_000);
    hangs.heartbeatAnswered();
    clock.advance(60_000);
    expect(hangs.isHung()).toBe(false);
    expect(hangs.shouldSendHeartbeat()).toBe(true);
  });

  it("calls it hung after 10 s of Chromium's unresponsive, unless it recovers", () => {
    const clock = new Clock();
    const hangs = new HangWatch({ now: clock.now });
    hangs.unresponsive();
    clock.advance(5_000);
    hangs.responsive();
    clock.advance(20_000);
    expect(hangs.isHung()).toBe(false);
    hangs.unresponsive();
    clock.advance(10_000);
    expect(hangs.isHung()).toBe(true);
    hangs.reset();
    expect(hangs.isHung()).toBe(false);
  });
});

describe('which process losses are failures', () => {
  it('counts every renderer exit but a clean one, and a GPU process loss', () => {
    expect(isRendererFailure({ reason: 'crashed' })).toBe(true);
    expect(isRendererFailure({ reason: 'oom' })).toBe(true);
    expect(isRendererFailure({ reason: 'killed' })).toBe(true);
    expect(isRendererFailure({ reason: 'clean-exit' })).toBe(false);
    expect(isGpuLoss({ type: 'GPU', reason: 'crashed' })).toBe(true);
    expect(isGpuLoss({ type: 'Utility', reason: 'crashed' })).toBe(false);
    expect(isGpuLoss({ type: 'GPU', reason: 'clean-exit' })).toBe(false);
  });
});

function watched(heartbeat: () => Promise<unknown> = () => Promise.resolve(0)) {
  const clock = new Clock();
  const window = new FakeWindow();
  const app = new EventEmitter();
  const timers: { run: () => void; at: number }[] = [];
  let tick: (() => void) | null = null;
  const reloads: number[] = [];
  const logged: { event: string; details: Record<string, unknown> }[] = [];
  const stop = watchRenderer(window.asElectron(), {
    app: app as unknown as App,
    reload: () => reloads.push(clock.t),
    log: (event, details) => logged.push({ event, details }),
    policy: new RecoveryPolicy({ now: clock.now }),
    hangs: new HangWatch({ now: clock.now }),
    heartbeat,
    setTimeout: (run, ms) => timers.push({ run, at: clock.t + ms }),
    setInterval: (run) => (tick = run),
    clearInterval: () => (tick = null),
  });
  const runDue = (): void => {
    for (const timer of timers.splice(0)) {
      if (timer.at <= clock.t) timer.run();
      else timers.push(timer);
    }
  };
  return {
    clock,
    window,
    app,
    reloads,
    logged,
    stop,
    runDue,
    tick: () => tick?.(),
    get ticking() {
      return tick !== null;
    },
  };
}

describe('watchRenderer', () => {
  it('reloads the attract screen after a renderer crash, and logs it', () => {
    const w = watched();
    w.window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    w.runDue();
    expect(w.reloads).toEqual([0]);
    expect(w.logged).toEqual([
      {
        event: 'renderer-recovery',
        details: { reason: 'renderer-gone', why: 'crashed', exitCode: 139, delayMs: 0, inARow: 1 },
      },
    ]);
  });

  it('reloads after a GPU process loss and a failed main-frame load, but not an aborted one', () => {
    const w = watched();
    w.app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed', exitCode: 1 });
    w.runDue();
    expect(w.reloads).toHaveLength(1);
    w.clock.advance(3 * 60_000);
    w.window.webContents.emit('did-fail-load', {}, -3, 'ERR_ABORTED', 'app://kiosk/', true);
    w.window.webContents.emit(
      'did-fail-load',
      {},
      -6,
      'ERR_FILE_NOT_FOUND',
      'app://kiosk/x',
      false,
    );
    w.runDue();
    expect(w.reloads).toHaveLength(1);
    w.window.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'app://kiosk/', true);
    w.runDue();
    expect(w.reloads).toHaveLength(2);
    expect(w.logged.map((l) => l.details.reason)).toEqual(['gpu-gone', 'load-failed']);
  });

  it('catches a hung page by its heartbeat and reloads it', () => {
    const w = watched(() => new Promise(() => undefined)); // never answers
    w.tick(); // heartbeat sent
    w.clock.advance(30_000);
    w.tick(); // still no answer: hung
    w.runDue();
    expect(w.reloads).toEqual([30_000]);
    expect(w.logged[0]?.details.reason).toBe('hung');
  });

  it('leaves a page that answers alone', async () => {
    const w = watched();
    for (let i = 0; i < 10; i += 1) {
      w.tick();
      await Promise.resolve();
      w.clock.advance(10_000);
    }
    expect(w.reloads).toEqual([]);
  });

  it('does not reload a window that is gone, and stops watching when told', () => {
    const w = watched();
    w.window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    w.window.destroyed = true;
    w.runDue();
    expect(w.reloads).toEqual([]);
    w.stop();
    expect(w.ticking).toBe(false);
    expect(w.app.listenerCount('child-process-gone')).toBe(0);
  });
});
