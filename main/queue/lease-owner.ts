/**
 * Who is sending a job. A claim records the drainer's id, process id and host with a lease
 * time, so a second drainer (the app and the CLI, or two processes) never takes a job another
 * live drainer is sending, while a job whose drainer died is taken back at once.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

export interface LeaseOwner {
  /** Unique per drainer instance, even within one process. */
  id: string;
  pid: number;
  host: string;
}

export function newLeaseOwner(): LeaseOwner {
  return { id: randomUUID(), pid: process.pid, host: hostname() };
}

/** False only when the OS says no such process exists (signal 0 checks without signalling). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
