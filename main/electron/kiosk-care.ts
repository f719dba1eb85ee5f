/**
 * Kiosk care: a kiosk nobody watches must come back by itself. When the renderer crashes or is
 * killed (`render-process-gone`), the GPU process is lost (`child-process-gone`), the page fails
 * to load, or the renderer hangs (Chromium's `unresponsive`, and our own heartbeat for a hang
 * nobody touches the screen to notice), the window is reloaded to the attract screen. Each
 * recovery is logged. A renderer that keeps dying is reloaded later and later (backoff), so a
 * crash loop does not spin a core; a stable spell resets the backoff.
 *
 * The decisions are two plain classes on an injected clock (unit-tested); `watchRenderer` is
 * the thin glue that wires them to the window.
 */
import type { App, BrowserWindow, Details, RenderProcessGoneDetails } from 'electron';
import { whereFrom, type ShellLog } from './shell-log.js';

export type RecoveryReason = 'renderer-gone' | 'gpu-gone' | 'hung' | 'load-failed';

export interface RecoveryPolicyOptions {
  /** Monotonic milliseconds (performance.now in the app, a number in tests). */
  now: () => number;
  /** The wait before the second reload in a row; doubled for each one after. */
  firstDelayMs?: number;
  /** The longest wait between reloads (a renderer that never stays up is tried every 5 min). */
  maxDelayMs?: number;
  /** Up this long since the last reload, and the next failure counts as the first again. */
  stableAfterMs?: number;
}

/** When to reload after a failure. */
export class RecoveryPolicy {
  readonly #now: () => number;
  readonly #firstDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #stableAfterMs: number;
  #inARow = 0;
  #lastReloadAt: number | null = null;
  #pending = false;

  constructor(options: RecoveryPolicyOptions) {
    this.#now = options.now;
    // One crash: reload at once, the customer should not wait. Two within a couple of minutes:
    // something is wrong with this machine or this build; 1 s, 2 s, 4 s ... up to 5 min keeps
    // trying without spinning (a crash loop costs a process start each time).
    this.#firstDelayMs = options.firstDelayMs ?? 1_000;
    this.#maxDelayMs = options.maxDelayMs ?? 5 * 60_000;
    this.#stableAfterMs = options.stableAfterMs ?? 2 * 60_000;
  }

  /**
   * A failure: the delay before reloading, or null when a reload is already scheduled (one
   * crash reported as renderer-gone and hung alike is one recovery).
   */
  failed(): { delayMs: number; inARow: number } | null {
    if (this.#pending) return null;
    const now = this.#now();
    if (this.#lastReloadAt !== null && now - this.#lastReloadAt >= this.#stableAfterMs) {
      this.#inARow = 0;
    }
    this.#inARow += 1;
    this.#pending = true;
    const delayMs =
      this.#inARow === 1
        ? 0
        : Math.min(this.#maxDelayMs, this.#firstDelayMs * 2 ** (this.#inARow - 2));
    return { delayMs, inARow: this.#inARow };
  }

  /** The scheduled reload has been started. */
  reloaded(): void {
    this.#pending = false;
    this.#lastReloadAt = this.#now();
  }
}

export interface HangWatchOptions {
  now: () => number;
  /**
   * How long a heartbeat may go unanswered. A capture encodes a full-resolution JPEG in the
   * renderer (a few hundred ms on a slow kiosk): 30 s is far beyond any honest work.
   */
  heartbeatTimeoutMs?: number;
  /** How long Chromium may call the renderer unresponsive before we reload it. */
  unresponsiveGraceMs?: number;
}

/** Whether the renderer is hung: a heartbeat unanswered, or unresponsive for too long. */
export class HangWatch {
  readonly #now: () => number;
  readonly #heartbeatTimeoutMs: number;
  readonly #unresponsiveGraceMs: number;
  #heartbeatSentAt: number | null = null;
  #unresponsiveSince: number | null = null;

  constructor(options: HangWatchOptions) {
    this.#now = options.now;
    this.#heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 30_000;
    this.#unresponsiveGraceMs = options.unresponsiveGraceMs ?? 10_000;
  }

  /** Whether to send a heartbeat now (none is outstanding). Records it as sent. */
  shouldSendHeartbeat(): boolean {
    if (this.#heartbeatSentAt !== null) return false;
    this.#heartbeatSentAt = this.#now();
    return true;
  }

  heartbeatAnswered(): void {
    this.#heartbeatSentAt = null;
  }

  unresponsive(): void {
    this.#unresponsiveSince ??= this.#now();
  }

  responsive(): void {
    this.#unresponsiveSince = null;
  }

  /** A fresh page (after a reload): nothing outstanding. */
  reset(): void {
    this.#heartbeatSentAt = null;
    this.#unresponsiveSince = null;
  }

  isHung(): boolean {
    const now = this.#now();
    return (
      (this.#heartbeatSentAt !== null && now - this.#heartbeatSentAt >= this.#heartbeatTimeoutMs) ||
      (this.#unresponsiveSince !== null &&
        now - this.#unresponsiveSince >= this.#unresponsiveGraceMs)
    );
  }
}

/** Render-process-gone reasons that are not a failure: the page was closed on purpose. */
export function isRendererFailure(details: Pick<RenderProcessGoneDetails, 'reason'>): boolean {
  return details.reason !== 'clean-exit';
}

/** Child processes whose loss blanks the page: the GPU process. */
export function isGpuLoss(details: Pick<Details, 'type' | 'reason'>): boolean {
  return details.type === 'GPU' && details.reason !== 'clean-exit';
}

export interface WatchOptions {
  app: Pick<App, 'on' | 'off'>;
  /** Reloads the window to the attract screen (a fresh load of the renderer's entry). */
  reload: () => void;
  log: ShellLog;
  policy: RecoveryPolicy;
  hangs: HangWatch;
  /** Whether the page's main thread answers: resolves when it ran a no-op script. */
  heartbeat: () => Promise<unknown>;
  /** How often the heartbeat is sent and the hang watch checked. */
  intervalMs?: number;
  setTimeout?: (run: () => void, ms: number) => unknown;
  setInterval?: (run: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

/** Wires the recovery to `window`; returns a function that stops watching. */
export function watchRenderer(window: BrowserWindow, options: WatchOptions): () => void {
  const { policy, hangs, log } = options;
  const later = options.setTimeout ?? ((run, ms) => setTimeout(run, ms));
  const every = options.setInterval ?? ((run, ms) => setInterval(run, ms));
  const stopEvery = options.clearInterval ?? ((handle) => clearInterval(handle as NodeJS.Timeout));
  const contents = window.webContents;

  const recover = (reason: RecoveryReason, details: Record<string, string | number>): void => {
    const decision = policy.failed();
    if (decision === null) return;
    log('renderer-recovery', { reason, ...details, ...decision });
    later(() => {
      policy.reloaded();
      hangs.reset();
      if (!window.isDestroyed()) options.reload();
    }, decision.delayMs);
  };

  contents.on('render-process-gone', (_event, details) => {
    if (isRendererFailure(details)) {
      recover('renderer-gone', { why: details.reason, exitCode: details.exitCode });
    }
  });
  contents.on('did-fail-load', (_event, errorCode, description, url, isMainFrame) => {
    // -3 is ERR_ABORTED: a load we replaced ourselves (a reload during a load), not a failure.
    if (isMainFrame && errorCode !== -3) {
      recover('load-failed', { errorCode, description, url: whereFrom(url) });
    }
  });
  contents.on('did-finish-load', () => hangs.reset());
  const onChildGone = (_event: unknown, details: Details): void => {
    if (isGpuLoss(details))
      recover('gpu-gone', { why: details.reason, exitCode: details.exitCode });
  };
  options.app.on('child-process-gone', onChildGone);
  window.on('unresponsive', () => hangs.unresponsive());
  window.on('responsive', () => hangs.responsive());

  const timer = every(() => {
    if (window.isDestroyed()) return;
    if (hangs.isHung()) {
      recover('hung', {});
      return;
    }
    if (hangs.shouldSendHeartbeat()) {
      // A page that answers clears it; one that never answers is caught by isHung above.
      options.heartbeat().then(
        () => hangs.heartbeatAnswered(),
        () => hangs.heartbeatAnswered(), // a page that navigated or reloaded answered too
      );
    }
  }, options.intervalMs ?? 10_000);

  return () => {
    stopEvery(timer);
    options.app.off('child-process-gone', onChildGone);
  };
}
