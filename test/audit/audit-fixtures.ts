/** Shared by the audit tests: a trail in a temporary folder, and one valid entry of every type. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { ManualClock } from '../../main/clock/clock.js';
import { auditDatabasePath } from '../../main/audit/audit-database.js';
import { canonicalDetails, entryHash, GENESIS_HASH } from '../../main/audit/audit-hash.js';
import { AuditTrail } from '../../main/audit/audit-trail.js';
import type { AuditDetails, AuditType } from '../../main/audit/audit-types.js';

export const SESSION = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
export const JOB = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';

/** One valid details object per type: what the kiosk writes. */
export const SAMPLE_DETAILS: { [T in AuditType]: AuditDetails<T> } = {
  'app-started': { version: '0.1.0', training: false },
  'app-stopped': {},
  'session-started': {
    session: SESSION,
    kind: 'liveness',
    api: 'kairos-liveness-v0.2',
    language: 'kk',
    training: false,
  },
  'consent-given': {
    session: SESSION,
    consentVersion: '2026-12',
    kind: 'liveness',
    language: 'kk',
  },
  'consent-declined': { consentVersion: '2026-12', kind: 'liveness-and-match', language: 'ru' },
  captured: { session: SESSION, role: 'selfie', width: 1280, height: 720, bytes: 81_234 },
  sent: { session: SESSION, api: 'kairos-liveness-v0.2' },
  result: { session: SESSION, api: 'kairos-liveness-v0.2', verdict: 'verified' },
  queued: { job: JOB, ticket: 'K7M2QX', api: 'kairos-biometric-v0.1', reason: 'offline' },
  delivered: { job: JOB, ticket: 'K7M2QX', api: 'kairos-biometric-v0.1', attempts: 2 },
  discarded: { job: JOB, ticket: 'K7M2QX', api: 'kairos-biometric-v0.1', reason: 'discarded' },
  purged: {
    throughSeq: 3,
    lastHash: 'ab'.repeat(32),
    deleted: 3,
    before: '2025-01-01T00:00:00.000Z',
  },
  'settings-changed': {
    key: 'idle.resultSeconds',
    oldValue: 30,
    newValue: 45,
    staff: 'teller-7',
  },
  'credentials-changed': { vendor: 'kairos', field: 'appKey', action: 'set', staff: 'it-admin' },
  'staff-signed-in': { staff: 'teller-7' },
  'pin-failed': { staff: 'teller-7', failures: 2 },
  'staff-locked-out': { staff: 'teller-7', failures: 5, until: '2025-01-06T09:15:00.000Z' },
  'staff-pin-set': { how: 'reset', lockCleared: true },
  'staff-signed-out': { staff: 'console', reason: 'idle' },
};

export interface TrailFixture {
  dir: string;
  clock: ManualClock;
  trail: AuditTrail;
  reopen(): AuditTrail;
  /** A second, raw connection to the file: what someone with the file could do. */
  raw(): Database;
  cleanup(): void;
}

export function makeTrail(): TrailFixture {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-audit-'));
  const clock = new ManualClock();
  const connections: Database[] = [];
  const fx: TrailFixture = {
    dir,
    clock,
    trail: AuditTrail.open(dir, { clock }),
    reopen() {
      fx.trail.close();
      fx.trail = AuditTrail.open(dir, { clock });
      return fx.trail;
    },
    raw() {
      const db = new BetterSqlite3(auditDatabasePath(dir));
      connections.push(db);
      return db;
    },
    cleanup() {
      fx.trail.close();
      for (const db of connections) if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fx;
}

/**
 * Appends `count` entries chained exactly as append() does, in one transaction through a raw
 * connection: thousands in milliseconds (append() commits each durably, a few ms apiece).
 */
export function appendFast(fx: TrailFixture, count: number): void {
  const db = fx.raw();
  const last = db.prepare('SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  const insert = db.prepare(
    'INSERT INTO audit_entries (seq, at, type, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)',
  );
  let seq = last?.seq ?? 0;
  let prev = last?.hash ?? GENESIS_HASH;
  db.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      seq += 1;
      const at = new Date(fx.clock.now()).toISOString();
      const details = canonicalDetails({ ...SAMPLE_DETAILS.captured, bytes: 50_000 + i });
      const hash = entryHash(seq, at, 'captured', details, prev);
      insert.run(seq, at, 'captured', details, prev, hash);
      prev = hash;
      fx.clock.advance(60_000);
    }
  })();
  db.close();
}

/** Appends `count` entries, a minute apart. */
export function appendMany(fx: TrailFixture, count: number): void {
  for (let i = 0; i < count; i += 1) {
    fx.trail.append('captured', {
      session: SESSION,
      role: i % 2 === 0 ? 'selfie' : 'id-photo',
      width: 1280,
      height: 720,
      bytes: 50_000 + i,
    });
    fx.clock.advance(60_000);
  }
}
