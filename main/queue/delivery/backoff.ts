/**
 * Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS Architecture
 * Blog, 2015): the wait before retry n is uniformly random in [0, min(cap, base * 2^(n-1))].
 * The randomness matters here: when a branch's link comes back, every kiosk in it would
 * otherwise retry its whole queue at the same instant.
 */
import { MINUTE, SECOND } from '../../clock/clock.js';

export interface BackoffPolicy {
  /** The window of the first retry. 2 s: a flaky link or a vendor hiccup often passes that fast. */
  baseMs: number;
  /**
   * The largest window. 10 min: reached after about nine failures; a job stuck behind a long
   * outage is then tried a few times an hour, so it goes soon after the vendor recovers, without
   * hammering it meanwhile. (A network outage ends faster: see Connectivity.)
   */
  capMs: number;
  /**
   * Never retry sooner than this. Full jitter can draw 0; a floor keeps a failure that happens
   * instantly (e.g. a local TLS error) from spinning the loop.
   */
  floorMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 2 * SECOND,
  capMs: 10 * MINUTE,
  floorMs: 250,
};

/** The wait before the next try after `failures` consecutive failures (1 = the first). */
export function backoffDelay(
  failures: number,
  policy: BackoffPolicy,
  random: () => number,
): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const window = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.max(policy.floorMs, Math.floor(random() * window));
}
