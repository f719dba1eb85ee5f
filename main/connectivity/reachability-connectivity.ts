/**
 * Connectivity for plain Node (the CLI, tests, and the app's second opinion): can a TCP
 * connection be opened to any vendor host? A connect is the cheapest check that proves the
 * route, DNS and the vendor's listener, without sending credentials or using a quota.
 */
import { connect } from 'node:net';
import { SECOND } from '../clock/clock.js';
import type { Connectivity } from './connectivity.js';

export interface ReachabilityOptions {
  /** The vendors' base URLs, e.g. https://idv-eu.kairos.com; host and port are probed. */
  baseUrls: readonly string[];
  /** A connect slower than this counts as unreachable; 5 s allows a slow satellite link. */
  timeoutMs?: number;
  /** While offline, probe again after 1 s, doubling to this cap (30 s), so a return is seen fast. */
  offlineMaxIntervalMs?: number;
  /** While online, probe this often (60 s) to notice a silent loss before a send fails on it. */
  onlineIntervalMs?: number;
}

export class ReachabilityConnectivity implements Connectivity {
  #targets: { host: string; port: number }[];
  readonly #timeoutMs: number;
  readonly #offlineMaxIntervalMs: number;
  readonly #onlineIntervalMs: number;
  readonly #listeners = new Set<(online: boolean) => void>();
  #online: boolean | undefined;
  #probe: Promise<boolean> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #offlineInterval = SECOND;
  #running = false;

  constructor(options: ReachabilityOptions) {
    this.#targets = options.baseUrls.map(targetOf);
    this.#timeoutMs = options.timeoutMs ?? 5 * SECOND;
    this.#offlineMaxIntervalMs = options.offlineMaxIntervalMs ?? 30 * SECOND;
    this.#onlineIntervalMs = options.onlineIntervalMs ?? 60 * SECOND;
  }

  /** New vendor addresses from the settings: the next probe checks these. */
  setBaseUrls(baseUrls: readonly string[]): void {
    this.#targets = baseUrls.map(targetOf);
  }

  /** Begins polling in the background. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#pollNow();
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
  }

  /** Probes now (sharing a probe already under way) and reports the answer. */
  isOnline(): Promise<boolean> {
    this.#probe ??= this.#probeAll().finally(() => {
      this.#probe = undefined;
    });
    return this.#probe;
  }

  onChange(listener: (online: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #pollNow(): Promise<void> {
    const online = await this.isOnline();
    if (!this.#running) return;
    clearTimeout(this.#timer);
    let delay = this.#onlineIntervalMs;
    if (online) {
      this.#offlineInterval = Math.min(SECOND, this.#offlineMaxIntervalMs);
    } else {
      delay = this.#offlineInterval;
      this.#offlineInterval = Math.min(this.#offlineInterval * 2, this.#offlineMaxIntervalMs);
    }
    this.#timer = setTimeout(() => void this.#pollNow(), delay);
    this.#timer.unref();
  }

  /**
   * The link just went down (seen by any probe, e.g. the loop's after a failed send): poll at
   * the offline cadence from now on, so its return is seen in seconds, not at the next
   * online-cadence poll a minute later.
   */
  #pollSoon(): void {
    this.#offlineInterval = Math.min(SECOND, this.#offlineMaxIntervalMs);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#pollNow(), this.#offlineInterval);
    this.#timer.unref();
  }

  async #probeAll(): Promise<boolean> {
    const answers = await Promise.all(this.#targets.map((target) => this.#probeOne(target)));
    const online = answers.some(Boolean);
    if (online !== this.#online) {
      this.#online = online;
      if (this.#running && !online) this.#pollSoon();
      for (const listener of [...this.#listeners]) {
        try {
          listener(online);
        } catch {
          // A subscriber's bug must not stop the polling that tells everyone else.
        }
      }
    }
    return online;
  }

  #probeOne(target: { host: string; port: number }): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect({ host: target.host, port: target.port });
      const done = (reachable: boolean) => {
        socket.destroy();
        resolve(reachable);
      };
      socket.setTimeout(this.#timeoutMs, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  }
}

function targetOf(baseUrl: string): { host: string; port: number } {
  const url = new URL(baseUrl);
  const port = url.port === '' ? (url.protocol === 'http:' ? 80 : 443) : Number(url.port);
  // URL keeps IPv6 hosts in brackets; net.connect wants them bare.
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}
