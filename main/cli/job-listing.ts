/** Jobs as support reads them: a summary without images or raw bodies, and a terminal table. */
import { verdictOf } from '../../model/result-model.js';
import type { Job } from '../queue/job.js';

export interface JobSummary {
  id: string;
  ticket: string;
  api: Job['api'];
  state: Job['state'];
  createdAt: string;
  attempts: number;
  resends: number;
  nextAttemptAt: string | null;
  lastError: Job['lastError'];
  verdict: string | null;
}

export function summarizeJob(job: Job): JobSummary {
  return {
    id: job.id,
    ticket: job.ticket,
    api: job.api,
    state: job.state,
    createdAt: new Date(job.createdAt).toISOString(),
    attempts: job.attempts,
    resends: job.resends,
    nextAttemptAt: job.nextAttemptAt === null ? null : new Date(job.nextAttemptAt).toISOString(),
    lastError: job.lastError,
    verdict: job.result ? verdictOf(job.result) : null,
  };
}

export function describeJobs(jobs: readonly Job[]): string {
  if (jobs.length === 0) return 'The queue is empty.';
  const rows = jobs.map((job) => {
    const s = summarizeJob(job);
    const note = s.verdict ?? s.lastError?.message ?? '';
    return [
      s.ticket,
      s.state,
      s.api,
      s.createdAt.slice(0, 19).replace('T', ' '),
      `${s.attempts}/${s.resends}`,
      note,
    ];
  });
  const header = [
    'TICKET',
    'STATE',
    'API',
    'CREATED (UTC)',
    'TRIES/RESENDS',
    'RESULT OR LAST ERROR',
  ];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (column === 5 ? 0 : row[column]!.length))),
  );
  return [header, ...rows]
    .map((row) =>
      row.map((cell, column) => (column === 5 ? cell : cell.padEnd(widths[column]!))).join('  '),
    )
    .join('\n');
}
