/**
 * Vendor answers the queue's database could not store (a full disk, a damaged page): a small
 * side file beside the database, so a process that exits before the storage recovers does not
 * leave the job to be sent again by the next one. One JSON line per answer, written with fsync,
 * owner-only; applied (and removed) at the next start, and after `queue recover`.
 */
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { VerificationResultSchema, type VerificationResult } from '../../../model/result-model.js';

export interface UnrecordedResult {
  jobId: string;
  result: VerificationResult;
}

export function unrecordedResultsFile(databaseFile: string): string {
  return `${databaseFile}.unrecorded.jsonl`;
}

/** Best effort: true when the answer is on disk. A full disk may refuse this too. */
export function saveUnrecordedResult(databaseFile: string, entry: UnrecordedResult): boolean {
  try {
    appendFileSync(unrecordedResultsFile(databaseFile), `${JSON.stringify(entry)}\n`, {
      mode: 0o600,
      flush: true,
    });
    return true;
  } catch {
    return false;
  }
}

/** The answers waiting in the side file; a line that does not parse is skipped. */
export function readUnrecordedResults(databaseFile: string): UnrecordedResult[] {
  const file = unrecordedResultsFile(databaseFile);
  if (!existsSync(file)) return [];
  const entries: UnrecordedResult[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as { jobId?: unknown; result?: unknown };
      const result = VerificationResultSchema.safeParse(value.result);
      if (typeof value.jobId === 'string' && result.success) {
        entries.push({ jobId: value.jobId, result: result.data });
      }
    } catch {
      // A line cut short by a crash: the rest still count.
    }
  }
  return entries;
}

/** Keeps only the answers not yet stored (none left: the file goes). */
export function keepUnrecordedResults(databaseFile: string, entries: UnrecordedResult[]): void {
  const file = unrecordedResultsFile(databaseFile);
  if (entries.length === 0) {
    rmSync(file, { force: true });
    return;
  }
  writeFileSync(file, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''), {
    mode: 0o600,
    flush: true,
  });
}
