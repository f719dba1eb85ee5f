/**
 * `AuditTrail`: the tamper-evident record of who did what on the kiosk, for a bank's
 * compliance team. Append-only entries in `<data dir>/audit.sqlite`, each chained to the one
 * before by a sha256 (audit-hash.ts); `verify()` walks the chain, `exportCsv()` streams it,
 * `purge()` drops what is past retention and records that it did, so the rest still verifies.
 *
 * Every method is synchronous except the export (it waits for its reader); each write is one
 * short BEGIN IMMEDIATE transaction, so the kiosk and a kiosk-verify command can share the file.
 */
import type { Writable } from 'node:stream';
import type { Database, Statement } from 'better-sqlite3';
import type { Clock } from '../clock/clock.js';
import { csvHeader, csvRow } from './audit-csv.js';
import {
  auditDatabasePath,
  openAuditDatabase,
  withAuditStorage,
  type OpenAuditDatabaseOptions,
} from './audit-database.js';
import { AuditError } from './audit-error.js';
import { canonicalDetails, entryHash, GENESIS_HASH } from './audit-hash.js';
import {
  AUDIT_DETAILS,
  AUDIT_TYPES,
  isAuditType,
  type AuditDetails,
  type AuditEntry,
  type AuditType,
} from './audit-types.js';

export interface AuditTrailOptions extends OpenAuditDatabaseOptions {
  /** Dates the entries (wall time); default the system clock. */
  clock?: Pick<Clock, 'now'>;
}

/** Why a chain does not verify. */
export type ChainProblem =
  /** The entry's fields do not match its hash: it was changed after it was written. */
  | 'edited'
  /** Entries are missing between two that remain: deleted. */
  | 'missing'
  /** The entry does not link to the one before it: one was inserted or replaced. */
  | 'broken-link'
  /** The oldest entries are gone and no `purged` entry records removing them. */
  | 'unanchored'
  /** The entry hashes right but is not one the kiosk writes (an unknown type). */
  | 'invalid-entry';

export type VerifyResult =
  | {
      ok: true;
      entries: number;
      firstSeq: number | null;
      lastSeq: number | null;
      /** The last entry's hash: note it (or keep an export) to detect a later rewrite. */
      headHash: string;
    }
  | { ok: false; seq: number; problem: ChainProblem; reason: string; entriesChecked: number };

export interface ExportRange {
  /** Entries at or after this time. */
  from?: Date;
  /** Entries before this time. */
  to?: Date;
}

export interface PurgeResult {
  deleted: number;
  /** The last seq deleted; null when nothing was old enough. */
  throughSeq: number | null;
  /** The `purged` entry appended; null when nothing was deleted. */
  entry: AuditEntry | null;
}

/** Rows per page of an export: about 100 KB of CSV, so memory stays flat however long the trail. */
const EXPORT_PAGE_ROWS = 256;

type Row = [seq: number, at: string, type: string, details: string, prevHash: string, hash: string];

const COLUMNS = 'seq, at, type, details, prev_hash, hash';

export class AuditTrail {
  readonly file: string;
  readonly #db: Database;
  readonly #clock: Pick<Clock, 'now'>;
  readonly #sql: {
    last: Statement;
    insert: Statement;
    walk: Statement;
    page: Statement;
    list: Statement;
    first: Statement;
    firstAtOrAfter: Statement;
    hashOf: Statement;
    grantPermit: Statement;
    revokePermit: Statement;
    deleteThrough: Statement;
  };

  private constructor(file: string, db: Database, clock: Pick<Clock, 'now'>) {
    this.file = file;
    this.#db = db;
    this.#clock = clock;
    this.#sql = {
      last: db.prepare('SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1'),
      insert: db.prepare(
        'INSERT INTO audit_entries (seq, at, type, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      walk: db.prepare(`SELECT ${COLUMNS} FROM audit_entries ORDER BY seq`).raw(true),
      // seq is the rowid: each page is a range scan from where the last one ended.
      page: db
        .prepare(
          `SELECT ${COLUMNS} FROM audit_entries
           WHERE seq > @after AND seq <= @head
             AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
           ORDER BY seq LIMIT @limit`,
        )
        .raw(true),
      list: db
        .prepare(`SELECT ${COLUMNS} FROM audit_entries WHERE seq > ? ORDER BY seq LIMIT ?`)
        .raw(true),
      first: db.prepare('SELECT seq FROM audit_entries ORDER BY seq LIMIT 1').pluck(),
      firstAtOrAfter: db
        .prepare('SELECT seq FROM audit_entries WHERE at >= ? ORDER BY seq LIMIT 1')
        .pluck(),
      hashOf: db.prepare('SELECT hash FROM audit_entries WHERE seq = ?').pluck(),
      grantPermit: db.prepare('INSERT INTO audit_purge_permit (held) VALUES (1)'),
      revokePermit: db.prepare('DELETE FROM audit_purge_permit'),
      deleteThrough: db.prepare('DELETE FROM audit_entries WHERE seq <= ?'),
    };
  }

  /** Opens (creating unless `mustExist`) the trail in `dataDir`. */
  static open(dataDir: string, options: AuditTrailOptions = {}): AuditTrail {
    const file = auditDatabasePath(dataDir);
    const db = openAuditDatabase(file, options);
    return new AuditTrail(file, db, options.clock ?? { now: () => Date.now() });
  }

  /**
   * Appends one entry, its details checked against the type's schema first: an unknown field
   * or a value that looks like a secret is refused (AuditError 'invalid-details'), nothing is
   * written. Returns the entry as stored.
   */
  append<T extends AuditType>(type: T, details: AuditDetails<T>): AuditEntry {
    const detailsJson = checkedDetails(type, details);
    return this.#read(() =>
      this.#db.transaction(() => this.#insert(type, detailsJson)).immediate(),
    );
  }

  /**
   * Walks the whole chain in seq order, one row at a time (memory does not grow with the
   * trail), and reports the first entry where it breaks. The oldest remaining entry must start
   * from the genesis value, or link to an entry a `purged` entry says it removed.
   */
  verify(): VerifyResult {
    return this.#read(() => verifyRows(this.#sql.walk.iterate() as IterableIterator<Row>));
  }

  /**
   * Streams the entries (optionally those dated in [from, to)) to `out` as CSV (audit-csv.ts),
   * a page at a time, waiting for 'drain' whenever `out.write()` says its buffer is full. The
   * entries present when it starts are exported; `out` is not ended. Resolves to the row count.
   */
  async exportCsv(out: NodeJS.WritableStream, range: ExportRange = {}): Promise<{ rows: number }> {
    const from = isoOf(range.from, 'from');
    const to = isoOf(range.to, 'to');
    const head = this.#read(() => (this.#sql.last.get() as { seq: number } | undefined)?.seq ?? 0);
    await writeChunk(out, csvHeader());
    let after = 0;
    let rows = 0;
    for (;;) {
      const page = this.#read(
        () => this.#sql.page.all({ after, head, from, to, limit: EXPORT_PAGE_ROWS }) as Row[],
      );
      if (page.length === 0) break;
      let chunk = '';
      for (const [seq, at, type, details, prevHash, hash] of page) {
        chunk += csvRow(seq, at, type, details, prevHash, hash);
      }
      rows += page.length;
      after = page[page.length - 1]![0];
      await writeChunk(out, chunk);
    }
    return { rows };
  }

  /**
   * Deletes the oldest entries dated before `before` (the longest such run from the start, so
   * the rest stays one unbroken chain) and appends a `purged` entry naming the last seq deleted
   * and its hash: what verify() anchors the new oldest entry on. Refused, with nothing deleted,
   * when the chain does not verify: a broken trail is evidence and is kept whole.
   */
  purge(before: Date): PurgeResult {
    const beforeIso = isoOf(before, 'before')!;
    if (before.getTime() > this.#clock.now()) {
      throw new AuditError(
        'invalid-range',
        `Refusing to purge entries up to ${beforeIso}: that is in the future, and would delete ` +
          'the whole trail. Give a date at least the retention period ago.',
      );
    }
    return this.#read(() =>
      this.#db
        .transaction((): PurgeResult => {
          const check = verifyRows(this.#sql.walk.iterate() as IterableIterator<Row>);
          if (!check.ok) {
            throw new AuditError(
              'chain-broken',
              `Nothing was purged: the audit trail does not verify at entry ${check.seq} ` +
                `(${check.reason}) Keep the file as it is for the compliance team.`,
            );
          }
          const first = this.#sql.first.get() as number | undefined;
          if (first === undefined || check.lastSeq === null) return nothingPurged();
          const stop = this.#sql.firstAtOrAfter.get(beforeIso) as number | undefined;
          const through = stop === undefined ? check.lastSeq : stop - 1;
          if (through < first) return nothingPurged();
          const lastHash = this.#sql.hashOf.get(through) as string;
          this.#sql.grantPermit.run();
          const deleted = this.#sql.deleteThrough.run(through).changes;
          this.#sql.revokePermit.run();
          // Chained to the head as it was before the deletion (which may have taken every row).
          const entry = this.#insert(
            'purged',
            checkedDetails('purged', { throughSeq: through, lastHash, deleted, before: beforeIso }),
            { seq: check.lastSeq, hash: check.headHash },
          );
          return { deleted, throughSeq: through, entry };
        })
        .immediate(),
    );
  }

  /** Up to `limit` entries after `afterSeq`, oldest first (for the staff console and tests). */
  list(options: { afterSeq?: number; limit?: number } = {}): AuditEntry[] {
    const rows = this.#read(
      () => this.#sql.list.all(options.afterSeq ?? 0, options.limit ?? 100) as Row[],
    );
    return rows.map(([seq, at, type, details, prevHash, hash]) => ({
      seq,
      at,
      type: type as AuditType,
      details: JSON.parse(details) as AuditEntry['details'],
      prevHash,
      hash,
    }));
  }

  get isOpen(): boolean {
    return this.#db.open;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  /**
   * Inside a transaction: the next seq, linked to the last entry (or the genesis value);
   * `after` names the last entry when the caller knows it (purge, having deleted it).
   */
  #insert(type: AuditType, detailsJson: string, after?: { seq: number; hash: string }): AuditEntry {
    const last = after ?? (this.#sql.last.get() as { seq: number; hash: string } | undefined);
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const at = new Date(this.#clock.now()).toISOString();
    const hash = entryHash(seq, at, type, detailsJson, prevHash);
    this.#sql.insert.run(seq, at, type, detailsJson, prevHash, hash);
    return {
      seq,
      at,
      type,
      details: JSON.parse(detailsJson) as AuditEntry['details'],
      prevHash,
      hash,
    };
  }

  /** Runs `work` on the open database, SQLite's storage failures as AuditError. */
  #read<T>(work: () => T): T {
    if (!this.#db.open) {
      throw new AuditError('closed', `The audit trail ${this.file} was closed; open it again.`);
    }
    return withAuditStorage(this.file, work);
  }
}

/** The details as canonical JSON, or AuditError saying what is wrong (never echoing a value). */
function checkedDetails(type: string, details: unknown): string {
  if (!isAuditType(type)) {
    throw new AuditError(
      'unknown-type',
      `"${type}" is not an audit entry type. The types are: ${AUDIT_TYPES.join(', ')}.`,
    );
  }
  const parsed = AUDIT_DETAILS[type].safeParse(details);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'details'}: ${issue.message}`)
      .join('; ');
    throw new AuditError(
      'invalid-details',
      `Refused a "${type}" audit entry: ${problems}. Only the type's own fields are recorded ` +
        '(see main/audit/audit-types.ts); never images, secrets or customer names.',
    );
  }
  return canonicalDetails(parsed.data);
}

function nothingPurged(): PurgeResult {
  return { deleted: 0, throughSeq: null, entry: null };
}

function isoOf(date: Date | undefined, name: string): string | null {
  if (date === undefined) return null;
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new AuditError('invalid-range', `"${name}" is not a valid date.`);
  }
  return date.toISOString();
}

/** The chain check over rows in seq order (see verify()). */
function verifyRows(rows: IterableIterator<Row>): VerifyResult {
  let checked = 0;
  let firstSeq: number | null = null;
  let lastSeq = 0;
  let lastHash = GENESIS_HASH;
  /** What a `purged` entry must record when the oldest entry is not entry 1. */
  let anchor: { through: number; hash: string } | null = null;
  let anchored = true;
  const broken = (seq: number, problem: ChainProblem, reason: string): VerifyResult => ({
    ok: false,
    seq,
    problem,
    reason,
    entriesChecked: checked,
  });
  for (const [seq, at, type, details, prevHash, hash] of rows) {
    if (firstSeq === null) {
      firstSeq = seq;
      if (seq === 1) {
        if (prevHash !== GENESIS_HASH) {
          return broken(
            seq,
            'broken-link',
            'Entry 1 does not start from the genesis value: an entry was put in front of it.',
          );
        }
      } else {
        anchor = { through: seq - 1, hash: prevHash };
        anchored = false;
      }
    } else if (seq !== lastSeq + 1) {
      const missing = seq - 1 > lastSeq + 1 ? `${lastSeq + 1} to ${seq - 1}` : `${lastSeq + 1}`;
      return broken(
        lastSeq + 1,
        'missing',
        `Entries ${missing} are missing between ${lastSeq} and ${seq}: deleted from the trail.`,
      );
    } else if (prevHash !== lastHash) {
      return broken(
        seq,
        'broken-link',
        `Entry ${seq} does not link to entry ${lastSeq} (its prev_hash is not ${lastSeq}'s ` +
          'hash): an entry was inserted or replaced here.',
      );
    }
    if (entryHash(seq, at, type, details, prevHash) !== hash) {
      return broken(
        seq,
        'edited',
        `Entry ${seq} does not match its hash: it was changed after it was written.`,
      );
    }
    if (!isAuditType(type)) {
      return broken(seq, 'invalid-entry', `Entry ${seq} has a type the kiosk never writes.`);
    }
    if (!anchored && type === 'purged' && recordsAnchor(details, anchor!)) anchored = true;
    checked += 1;
    lastSeq = seq;
    lastHash = hash;
  }
  if (!anchored) {
    return broken(
      firstSeq!,
      'unanchored',
      `The entries before ${firstSeq} are gone and no purged entry records removing them: ` +
        'they were deleted outside purge.',
    );
  }
  return {
    ok: true,
    entries: checked,
    firstSeq,
    lastSeq: firstSeq === null ? null : lastSeq,
    headHash: lastHash,
  };
}

function recordsAnchor(details: string, anchor: { through: number; hash: string }): boolean {
  try {
    const purged = JSON.parse(details) as { throughSeq?: unknown; lastHash?: unknown };
    return purged.throughSeq === anchor.through && purged.lastHash === anchor.hash;
  } catch {
    return false;
  }
}

/** Writes `chunk`; when the stream's buffer is full, waits for it to drain (or fail). */
function writeChunk(out: NodeJS.WritableStream, chunk: string): Promise<void> {
  const closed = (): Error | null => {
    // A stream that failed or was closed says so once; waiting for its 'drain' would hang.
    const stream = out as Partial<Pick<Writable, 'destroyed' | 'errored'>>;
    if (stream.errored) return stream.errored;
    return stream.destroyed ? new Error('The output was closed before the export ended.') : null;
  };
  const before = closed();
  if (before) return Promise.reject(before);
  if (out.write(chunk)) return Promise.resolve();
  const after = closed();
  if (after) return Promise.reject(after);
  return new Promise((resolve, reject) => {
    const done = (error?: unknown): void => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (error === undefined) resolve();
      else reject(error instanceof Error ? error : new Error(String(error)));
    };
    const onDrain = (): void => done();
    const onError = (error: unknown): void => done(error);
    const onClose = (): void => done(new Error('The output was closed before the export ended.'));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}
