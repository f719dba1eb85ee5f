/**
 * The queue's schema, as numbered migrations tracked in PRAGMA user_version. To change the
 * schema, append a migration; never edit one that has shipped (kiosks upgrade from any version).
 */
import type { Database } from 'better-sqlite3';
import { QueueError } from '../queue-errors.js';

const MIGRATIONS: readonly ((db: Database) => void)[] = [
  // 1: jobs, and their encrypted images in a table of their own, so deleting a terminal job's
  // images frees whole pages (reclaimed by incremental vacuum) while the small job row stays
  // for the retention period.
  (db) => {
    db.exec(`
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        ticket TEXT NOT NULL UNIQUE,
        api TEXT NOT NULL,
        vendor TEXT NOT NULL,
        options TEXT NOT NULL,
        staff_ref TEXT,
        consent_at TEXT NOT NULL,
        consent_text_version TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN
          ('queued', 'sending', 'retry-wait', 'done', 'failed', 'expired')),
        attempts INTEGER NOT NULL DEFAULT 0,
        resends INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        last_error_code TEXT,
        last_error_message TEXT,
        result TEXT,
        finished_at INTEGER,
        lease_owner TEXT,
        lease_pid INTEGER,
        lease_host TEXT,
        lease_until INTEGER
      ) STRICT;
      -- Claims and wake-ups look only at jobs still to deliver, oldest first: a partial index
      -- keeps that fast however many finished jobs the retention period holds.
      CREATE INDEX jobs_pending ON jobs (vendor, created_at)
        WHERE state IN ('queued', 'sending', 'retry-wait');
      CREATE INDEX jobs_by_state ON jobs (state);
      CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
      CREATE TABLE job_images (
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('selfie', 'id-photo')),
        content_type TEXT NOT NULL,
        file_name TEXT NOT NULL,
        key_id TEXT NOT NULL,
        nonce BLOB NOT NULL,
        tag BLOB NOT NULL,
        ciphertext BLOB NOT NULL,
        UNIQUE (job_id, role)
      ) STRICT;
    `);
  },
  // 2: age by time the kiosk observed, not by the wall clock (see queue-clock.ts). queue_clock
  // holds the one anchor: the wall and monotonic readings of the last tick, the boot they were
  // taken in, and the queue's observed clock then. A job's observed_at is the observed clock
  // when it was queued; rows from schema 1 get theirs at the first tick (from the wall clock,
  // the only record of their age). Claims now take the oldest by observed_at: the index follows.
  (db) => {
    db.exec(`
      ALTER TABLE jobs ADD COLUMN observed_at INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE queue_clock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        wall_ms INTEGER NOT NULL,
        mono_ms INTEGER NOT NULL,
        boot_id TEXT NOT NULL,
        observed_ms INTEGER NOT NULL
      ) STRICT;
      DROP INDEX jobs_pending;
      CREATE INDEX jobs_pending ON jobs (vendor, observed_at)
        WHERE state IN ('queued', 'sending', 'retry-wait');
    `);
  },
  // 3: training jobs (made on the embedded emulator while staff practise) kept apart from real
  // ones: a kiosk delivers only the kind its mode makes, and staff see which is which.
  (db) => {
    db.exec(`
      ALTER TABLE jobs ADD COLUMN training INTEGER NOT NULL DEFAULT 0 CHECK (training IN (0, 1));
    `);
  },
  // 4: the pictures' quality report (numbers only, never pixels: main/capture's measures), so
  // staff see why a customer was asked to retake or why a vendor refused.
  (db) => {
    db.exec(`ALTER TABLE jobs ADD COLUMN quality TEXT;`);
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to SCHEMA_VERSION; safe when two processes open a new file at once. */
export function migrate(db: Database): void {
  for (;;) {
    const applied = db
      .transaction(() => {
        const version = db.pragma('user_version', { simple: true }) as number;
        if (version > MIGRATIONS.length) {
          throw new QueueError(
            'newer-schema',
            `The queue database is at schema version ${version}, newer than this app ` +
              `understands (${MIGRATIONS.length}). Update Kiosk Verify; do not delete the file.`,
          );
        }
        const next = MIGRATIONS[version];
        if (next === undefined) return false;
        next(db);
        db.pragma(`user_version = ${version + 1}`);
        return true;
      })
      .immediate();
    if (!applied) return;
  }
}
