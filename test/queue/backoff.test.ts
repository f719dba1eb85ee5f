import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../../main/queue/delivery/backoff.js';

describe('retry backoff', () => {
  it('doubles the window from about 2 s up to a 10 minute cap', () => {
    const top = (failures: number) => backoffDelay(failures, DEFAULT_BACKOFF, () => 0.999_999);
    expect(top(1)).toBe(1_999);
    expect(top(2)).toBe(3_999);
    expect(top(5)).toBe(31_999);
    expect(top(9)).toBe(511_999);
    expect(top(10)).toBe(599_999);
    expect(top(50)).toBe(599_999);
  });

  it('spreads retries over the whole window, never sooner than the floor', () => {
    expect(backoffDelay(4, DEFAULT_BACKOFF, () => 0)).toBe(250);
    expect(backoffDelay(4, DEFAULT_BACKOFF, () => 0.5)).toBe(8_000);
  });
});
