/**
 * The queue's storage failing under it: a full disk, a folder or file that cannot be written,
 * a damaged database. These are not bugs and not the job's fault: delivery stops (so nothing is
 * sent again while its outcome cannot be recorded) and staff get a message naming the file and
 * what to do. Everything SQLite or the file system throws about storage comes through here.
 */
import path from 'node:path';
import type { StorageProblem } from '../../../model/jobs.js';
import { QueueError } from '../queue-errors.js';

export type { StorageProblem };

export class StorageError extends QueueError {
  readonly problem: StorageProblem;
  readonly file: string;

  constructor(problem: StorageProblem, file: string, options: { cause?: unknown } = {}) {
    super('storage', storageMessage(problem, file), options);
    this.problem = problem;
    this.file = file;
  }
}

export function isStorageError(value: unknown): value is StorageError {
  return value instanceof StorageError;
}

function storageMessage(problem: StorageProblem, file: string): string {
  const folder = path.dirname(file);
  switch (problem) {
    case 'full':
      return (
        `The queue cannot be written: no space is left for ${file} (the disk is full or the ` +
        `queue reached its size limit). Nothing was lost. Free space on the disk holding ` +
        `${folder}, then try again.`
      );
    case 'read-only':
      return (
        `The queue cannot be written: ${file} or its folder is read-only. Nothing was lost. ` +
        `Give the kiosk's OS account write access to ${folder} (or remount the disk ` +
        `read-write), then try again.`
      );
    case 'damaged':
      return (
        `The queue's database ${file} is damaged. Kiosk Verify moves a damaged file aside ` +
        `(never deletes it) and starts a new queue; "kiosk-verify queue recover FILE" brings ` +
        `back every job that can still be read.`
      );
    case 'io':
      return (
        `The disk holding ${file} did not read or write (an I/O error). Nothing was lost. ` +
        `Check the disk (is it still attached?) and try again.`
      );
  }
}

const ERRNO_PROBLEMS: Record<string, StorageProblem> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  EACCES: 'read-only',
  EPERM: 'read-only',
  EROFS: 'read-only',
  EIO: 'io',
};

/**
 * The StorageError behind an error SQLite or the file system threw, or null when it is not
 * about storage (a busy lock, a constraint, a bug). `file` is the queue's database.
 */
export function storageErrorOf(error: unknown, file: string): StorageError | null {
  if (error instanceof StorageError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const problem = code.startsWith('SQLITE_') ? sqliteProblem(code) : ERRNO_PROBLEMS[code];
  return problem ? new StorageError(problem, file, { cause: error }) : null;
}

function sqliteProblem(code: string): StorageProblem | undefined {
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM') return 'read-only';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'damaged';
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) return 'io';
  return undefined;
}

/** Runs `work`; a storage failure comes out as a StorageError naming `file`. */
export function withStorage<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw storageErrorOf(error, file) ?? error;
  }
}
