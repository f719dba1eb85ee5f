/** Small number helpers for bench:ui's parts. */
import { percentile, sortedCopy } from '../bench-report.js';

export interface Spread {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = sortedCopy(values);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
  };
}

export function median(values: readonly number[]): number {
  return percentile(sortedCopy(values), 50);
}

export const ms = (value: number): string => `${value.toFixed(1)} ms`;
export const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** "12:03:04 message", for a long run's progress lines. */
export function progress(message: string): void {
  console.log(`${new Date().toISOString().slice(11, 19)} ${message}`);
}
