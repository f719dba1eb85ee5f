/**
 * The audit trail's SQLite file, `<data dir>/audit.sqlite`: opened like the queue's (WAL,
 * synchronous=FULL, owner-only file in an owner-only folder), its schema numbered in
 * user_version, and what SQLite or the disk throws turned into an AuditError naming the file.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { AuditError } from './audit-error.js';

export const AUDIT_FILE_NAME = 'audit.sqlite';

export function auditDatabasePath(dataDir: string): string {
  return path.join(dataDir, AUDIT_FILE_NAME);
}

export interface OpenAuditDatabaseOptions {
  platform?: NodeJS.Platform;
  /** Refuse (AuditError 'no-trail') rather than create a missing file: for readers (the CLI). */
  mustExist?: boolean;
  /** How long a write waits for another process (the app and the CLI share the file). */
  busyTimeoutMs?: number;
}

const MIGRATIONS: readonly ((db: Database) => void)[] = [
  // 1: the entries, and what keeps them append-only against a slip in our own code: an UPDATE
  // is always refused, a DELETE unless purge() holds a permit in the same transaction. (Anyone
  // with the file can drop the triggers; verify() is what catches that.)
  (db) => {
    db.exec(`
      CREATE TABLE audit_entries (
        seq INTEGER PRIMARY KEY CHECK (seq > 0),
        at TEXT NOT NULL,
        type TEXT NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE TABLE audit_purge_permit (held INTEGER NOT NULL) STRICT;
      CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
      BEGIN
        SELECT RAISE(ABORT, 'audit entries are append-only');
      END;
      CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
      WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permit)
      BEGIN
        SELECT RAISE(ABORT, 'audit entries are deleted only by purge');
      END;
    `);
  },
];

export function openAuditDatabase(file: string, options: OpenAuditDatabaseOptions = {}): Database {
  const platform = options.platform ?? process.platform;
  if (options.mustExist && !existsSync(file)) {
    throw new AuditError(
      'no-trail',
      `There is no audit trail at ${file}. Check the data folder (--data-dir); the kiosk ` +
        'creates the file the first time it starts.',
    );
  }
  return withAuditStorage(file, () => {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const db = new BetterSqlite3(file, { timeout: options.busyTimeoutMs ?? 5_000 });
    try {
      // Who did what, when: private to the kiosk's account like the queue (the -wal and -shm
      // files get the database file's mode).
      if (platform !== 'win32') chmodSync(file, 0o600);
      db.pragma('journal_mode = WAL');
      // An acknowledged entry survives a power cut, not only a crash: this is evidence.
      db.pragma('synchronous = FULL');
      if (platform === 'darwin') {
        db.pragma('fullfsync = ON');
        db.pragma('checkpoint_fullfsync = ON');
      }
      // Purged entries do not linger in free pages.
      db.pragma('secure_delete = ON');
      db.pragma('journal_size_limit = 8388608');
      const check = db.pragma('quick_check(1)', { simple: true });
      if (check !== 'ok') {
        throw Object.assign(new Error(`quick_check: ${String(check)}`), {
          code: 'SQLITE_CORRUPT',
        });
      }
      migrate(db, file);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  });
}

function migrate(db: Database, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new AuditError(
      'newer-format',
      `The audit trail ${file} was written by a newer version of Kiosk Verify (format ` +
        `${current}, this one knows ${MIGRATIONS.length}). Use that version, or update this one.`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version += 1) {
    db.transaction(() => {
      MIGRATIONS[version]!(db);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

/** Runs `work`, turning what SQLite or the disk throws about storage into an AuditError. */
export function withAuditStorage<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw auditStorageError(error, file) ?? error;
  }
}

export function auditStorageError(error: unknown, file: string): AuditError | null {
  if (error instanceof AuditError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const folder = path.dirname(file);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
    return new AuditError(
      'storage',
      `The audit trail ${file} cannot be written: the disk is full. Nothing was recorded. ` +
        `Free space on the disk holding ${folder}.`,
      true,
    );
  }
  if (
    code.startsWith('SQLITE_READONLY') ||
    code === 'SQLITE_PERM' ||
    code === 'SQLITE_CANTOPEN' ||
    ['EACCES', 'EPERM', 'EROFS'].includes(code)
  ) {
    return new AuditError(
      'storage',
      `The audit trail ${file} cannot be opened or written (read-only, or no permission). ` +
        `Run as the kiosk's OS account, or give it write access to ${folder}.`,
    );
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new AuditError(
      'storage',
      `The audit trail ${file} is damaged (not a readable SQLite database). Keep the file as ` +
        'it is for the compliance team (do not delete it), and tell IT.',
    );
  }
  if (code.startsWith('SQLITE_BUSY')) {
    return new AuditError(
      'storage',
      `The audit trail ${file} is locked by another process for too long. Try again; if it ` +
        'persists, look for a stuck kiosk-verify process.',
      true,
    );
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return new AuditError(
      'storage',
      `The disk holding ${file} did not read or write (an I/O error). Check the disk and try again.`,
      true,
    );
  }
  return null;
}
