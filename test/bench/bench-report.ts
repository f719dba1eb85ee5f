/** Shared by the benchmarks: percentiles, the machine line, and BENCHMARKS.md sections. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** "2026-11-22, Intel Xeon ... (2 cores), 24 GiB, Linux 6.1, Node v20.20.2" */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memory = Math.round(os.totalmem() / 2 ** 30);
  return `${new Date().toISOString().slice(0, 10)}, ${cpu} (${os.cpus().length} cores), ${memory} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

const BENCHMARKS_FILE = new URL('../../BENCHMARKS.md', import.meta.url);

/** Replaces (or appends) the section between this benchmark's markers in BENCHMARKS.md. */
export function writeBenchSection(name: string, markdown: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const current = existsSync(BENCHMARKS_FILE)
    ? readFileSync(BENCHMARKS_FILE, 'utf8')
    : '# Benchmarks\n\nEach section is written by its `npm run bench:*` script; run it again to refresh.\n';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + block + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(BENCHMARKS_FILE, next);
}
