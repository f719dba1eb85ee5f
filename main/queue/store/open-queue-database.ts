/** Opens (creating when needed) the queue's SQLite file with the durability it relies on. */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate } from './migrations.js';

export interface OpenQueueDatabaseOptions {
  platform?: NodeJS.Platform;
  /**
   * How long a statement waits for another process (the app and the CLI share the file) to
   * release its write lock. Every transaction here is a few statements long, so waits are short;
   * this bound only matters when something is badly wrong.
   */
  busyTimeoutMs?: number;
}

/**
 * The WAL is cut back to this size after a checkpoint resets it: twice the auto-checkpoint's
 * 1000 pages, so a burst behind a long reader does not leave a huge log, while ordinary commits
 * reuse the log's space instead of growing the file (each growth costs a metadata fsync). The
 * TRUNCATE checkpoint after deletions (job-table.ts) empties it fully.
 */
const JOURNAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024;

export function openQueueDatabase(file: string, options: OpenQueueDatabaseOptions = {}): Database {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = new BetterSqlite3(file, { timeout: options.busyTimeoutMs ?? 5_000 });
  try {
    // Results are personal data: owner-only, like the folder. SQLite gives the -wal and -shm
    // files the same mode as the database file.
    if ((options.platform ?? process.platform) !== 'win32') chmodSync(file, 0o600);
    // Must come before the first table is created; on an existing file it changes nothing.
    db.pragma('auto_vacuum = INCREMENTAL');
    // WAL: readers never block the writer, and a commit is one sequential append.
    db.pragma('journal_mode = WAL');
    // FULL: a commit (an acknowledged enqueue, a stored result) survives a power cut, not only a
    // crash of the app. NORMAL would be faster but may lose the last commits on power loss.
    db.pragma('synchronous = FULL');
    if ((options.platform ?? process.platform) === 'darwin') {
      // On macOS fsync() does not flush the drive's cache; F_FULLFSYNC does.
      db.pragma('fullfsync = ON');
      db.pragma('checkpoint_fullfsync = ON');
    }
    db.pragma('foreign_keys = ON');
    // Overwrite deleted content, so a deleted image's ciphertext does not linger in free pages.
    db.pragma('secure_delete = ON');
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
    migrate(db);
    assertIntact(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A damaged page (a bad sector, a half-copied file) otherwise shows up only when a job on it is
 * read, maybe when its answer must be stored. quick_check reads every page once at open (a few
 * ms for a kiosk's queue) so damage is found before anything is sent.
 */
function assertIntact(db: Database): void {
  const result = db.pragma('quick_check(1)', { simple: true });
  if (result !== 'ok') {
    throw Object.assign(new Error(`quick_check: ${String(result)}`), { code: 'SQLITE_CORRUPT' });
  }
}
