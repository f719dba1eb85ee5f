/**
 * The audit trail on real SQLite files: every type appends and verifies; an entry edited,
 * deleted or inserted behind its back is found at its seq; purge keeps the rest verifiable;
 * fields that are unknown or look like secrets are refused.
 */
import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditDatabasePath } from '../../main/audit/audit-database.js';
import { AuditError } from '../../main/audit/audit-error.js';
import { canonicalDetails, entryHash, GENESIS_HASH } from '../../main/audit/audit-hash.js';
import { AuditTrail } from '../../main/audit/audit-trail.js';
import { AUDIT_TYPES, type AuditType } from '../../main/audit/audit-types.js';
import { DAY } from '../../main/clock/clock.js';
import {
  appendMany,
  makeTrail,
  SAMPLE_DETAILS,
  SESSION,
  type TrailFixture,
} from './audit-fixtures.js';

let fx: TrailFixture;

beforeEach(() => {
  fx = makeTrail();
});

afterEach(() => {
  fx.cleanup();
});

function appendEveryType(): void {
  for (const type of AUDIT_TYPES) {
    fx.trail.append(type, SAMPLE_DETAILS[type] as never);
    fx.clock.advance(1_000);
  }
}

/** What someone with the file can do: drop the append-only triggers and change rows. */
function tamper(sql: string, ...params: unknown[]): void {
  const db = fx.raw();
  db.exec(
    'DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete;',
  );
  db.prepare(sql).run(...params);
  db.close();
}

function expectRefused(work: () => unknown, code: AuditError['code']): AuditError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AuditError);
    expect((error as AuditError).code).toBe(code);
    return error as AuditError;
  }
  throw new Error('expected an AuditError');
}

describe('append and verify', () => {
  it('appends every type, chained from the genesis value, and verifies', () => {
    appendEveryType();
    const entries = fx.trail.list({ limit: 1_000 });
    expect(entries.map((entry) => entry.type)).toEqual(AUDIT_TYPES);
    expect(entries.map((entry) => entry.seq)).toEqual(AUDIT_TYPES.map((_, i) => i + 1));
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries[0]!.at).toBe('2025-01-06T09:00:00.000Z');
    for (const [i, entry] of entries.entries()) {
      if (i > 0) expect(entry.prevHash).toBe(entries[i - 1]!.hash);
      // The documented rule, recomputed by hand: sha256 of [seq, at, type, details, prev_hash].
      expect(entry.hash).toBe(
        entryHash(entry.seq, entry.at, entry.type, canonicalDetails(entry.details), entry.prevHash),
      );
      expect(entry.details).toEqual(SAMPLE_DETAILS[entry.type]);
    }
    expect(fx.trail.verify()).toEqual({
      ok: true,
      entries: AUDIT_TYPES.length,
      firstSeq: 1,
      lastSeq: AUDIT_TYPES.length,
      headHash: entries.at(-1)!.hash,
    });
  });

  it('verifies an empty trail', () => {
    expect(fx.trail.verify()).toEqual({
      ok: true,
      entries: 0,
      firstSeq: null,
      lastSeq: null,
      headHash: GENESIS_HASH,
    });
  });

  it('keeps the chain across a reopen, and two connections appending in turn', () => {
    appendMany(fx, 3);
    const other = AuditTrail.open(fx.dir, { clock: fx.clock });
    try {
      other.append('staff-signed-in', { staff: 'teller-7' });
      fx.trail.append('pin-failed', { staff: 'teller-8', failures: 1 });
      other.append('app-stopped', {});
    } finally {
      other.close();
    }
    const reopened = fx.reopen();
    expect(reopened.verify()).toMatchObject({ ok: true, entries: 6, lastSeq: 6 });
  });

  it('stores details canonically: keys sorted, whatever order the caller used', () => {
    const entry = fx.trail.append('captured', {
      width: 10,
      session: SESSION,
      bytes: 3,
      role: 'selfie',
      height: 20,
    });
    const db = fx.raw();
    const stored = db
      .prepare('SELECT details FROM audit_entries WHERE seq = ?')
      .pluck()
      .get(entry.seq);
    expect(stored).toBe(
      `{"bytes":3,"height":20,"role":"selfie","session":"${SESSION}","width":10}`,
    );
  });

  it.runIf(process.platform !== 'win32')('is private: the file 0600, the folder 0700', () => {
    const dir = `${fx.dir}/new-data-dir`;
    const trail = AuditTrail.open(dir);
    trail.append('app-stopped', {});
    trail.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(auditDatabasePath(dir)).mode & 0o777).toBe(0o600);
  });

  it('refuses to write after close, with a code', () => {
    fx.trail.close();
    expectRefused(() => fx.trail.append('app-stopped', {}), 'closed');
  });

  it('refuses to open a missing trail when it must exist', () => {
    const error = expectRefused(
      () => AuditTrail.open(`${fx.dir}/nowhere`, { mustExist: true }),
      'no-trail',
    );
    expect(error.message).toContain('audit.sqlite');
  });
});

describe('tampering', () => {
  beforeEach(() => appendMany(fx, 10));

  it('refuses UPDATE and DELETE from our own code (the triggers)', () => {
    const db = fx.raw();
    expect(() => db.prepare("UPDATE audit_entries SET details = '{}' WHERE seq = 3").run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM audit_entries WHERE seq = 3').run()).toThrow(/purge/);
    expect(fx.trail.verify()).toMatchObject({ ok: true, entries: 10 });
  });

  it('reports exactly the entry whose details were edited', () => {
    tamper(
      'UPDATE audit_entries SET details = replace(details, \'"bytes":50006\', \'"bytes":1\') WHERE seq = 7',
    );
    expect(fx.trail.verify()).toMatchObject({ ok: false, seq: 7, problem: 'edited' });
  });

  it('reports an edited time or type at its seq', () => {
    tamper("UPDATE audit_entries SET at = '2025-01-06T08:00:00.000Z' WHERE seq = 4");
    expect(fx.trail.verify()).toMatchObject({ ok: false, seq: 4, problem: 'edited' });
  });

  it('reports a deleted entry in the middle', () => {
    tamper('DELETE FROM audit_entries WHERE seq = 5');
    const result = fx.trail.verify();
    expect(result).toMatchObject({ ok: false, seq: 5, problem: 'missing' });
    expect(result.ok || result.reason).toContain('Entries 5 are missing between 4 and 6');
  });

  it('reports an entry replaced with a freshly hashed one at the next link', () => {
    const row = fx.trail.list({ afterSeq: 5, limit: 1 })[0]!;
    const details = canonicalDetails({ ...row.details, bytes: 1 });
    tamper(
      'UPDATE audit_entries SET details = ?, hash = ? WHERE seq = 6',
      details,
      entryHash(6, row.at, row.type, details, row.prevHash),
    );
    expect(fx.trail.verify()).toMatchObject({ ok: false, seq: 7, problem: 'broken-link' });
  });

  it('reports the oldest entries deleted outside purge', () => {
    tamper('DELETE FROM audit_entries WHERE seq <= 3');
    expect(fx.trail.verify()).toMatchObject({ ok: false, seq: 4, problem: 'unanchored' });
  });
});

describe('purge', () => {
  it('deletes the oldest entries, records it in the chain, and still verifies', () => {
    appendMany(fx, 10); // at 09:00, 09:01, ... 09:09
    const before = new Date('2025-01-06T09:04:00.000Z');
    const fourth = fx.trail.list({ afterSeq: 3, limit: 1 })[0]!;
    const result = fx.trail.purge(before);
    expect(result).toMatchObject({ deleted: 4, throughSeq: 4 });
    expect(result.entry).toMatchObject({
      seq: 11,
      type: 'purged',
      details: { throughSeq: 4, lastHash: fourth.hash, deleted: 4, before: before.toISOString() },
    });
    const remaining = fx.trail.list({ limit: 100 });
    expect(remaining.map((entry) => entry.seq)).toEqual([5, 6, 7, 8, 9, 10, 11]);
    expect(remaining[0]!.prevHash).toBe(fourth.hash);
    expect(fx.trail.verify()).toMatchObject({ ok: true, entries: 7, firstSeq: 5, lastSeq: 11 });

    // A second purge takes the first one's entry with it; its own entry anchors the rest.
    fx.clock.advance(DAY);
    appendMany(fx, 2);
    expect(fx.trail.purge(new Date(fx.clock.now() - DAY / 2))).toMatchObject({
      deleted: 7,
      throughSeq: 11,
    });
    expect(fx.trail.verify()).toMatchObject({ ok: true, entries: 3, firstSeq: 12, lastSeq: 14 });
  });

  it('still reports a row deleted in the middle after a purge', () => {
    appendMany(fx, 10);
    fx.trail.purge(new Date('2025-01-06T09:03:00.000Z'));
    tamper('DELETE FROM audit_entries WHERE seq = 7');
    expect(fx.trail.verify()).toMatchObject({ ok: false, seq: 7, problem: 'missing' });
  });

  it('leaves only its own entry when everything was older', () => {
    appendMany(fx, 5);
    expect(fx.trail.purge(new Date(fx.clock.now()))).toMatchObject({ deleted: 5, throughSeq: 5 });
    expect(fx.trail.verify()).toMatchObject({ ok: true, entries: 1, firstSeq: 6, lastSeq: 6 });
    fx.trail.append('app-started', { version: '0.1.0', training: true });
    expect(fx.trail.verify()).toMatchObject({ ok: true, entries: 2 });
  });

  it('stops at the first entry not old enough (a clock set back stays in the chain)', () => {
    appendMany(fx, 3); // 09:00, 09:01, 09:02
    fx.clock.set(Date.parse('2025-01-06T08:00:00.000Z'));
    appendMany(fx, 2); // 08:00, 08:01: older, but after seq 3
    fx.clock.set(Date.parse('2025-01-06T10:00:00.000Z'));
    expect(fx.trail.purge(new Date('2025-01-06T09:01:30.000Z'))).toMatchObject({
      deleted: 2,
      throughSeq: 2,
    });
    expect(fx.trail.verify()).toMatchObject({ ok: true, firstSeq: 3 });
  });

  it('does nothing when nothing is old enough', () => {
    appendMany(fx, 3);
    expect(fx.trail.purge(new Date('2024-01-01T00:00:00.000Z'))).toEqual({
      deleted: 0,
      throughSeq: null,
      entry: null,
    });
    expect(fx.trail.verify()).toMatchObject({ ok: true, entries: 3, firstSeq: 1 });
  });

  it('refuses a date in the future, and a broken chain (nothing deleted)', () => {
    appendMany(fx, 5);
    expectRefused(() => fx.trail.purge(new Date(fx.clock.now() + DAY)), 'invalid-range');
    tamper("UPDATE audit_entries SET type = 'app-stopped' WHERE seq = 4");
    const error = expectRefused(() => fx.trail.purge(new Date(fx.clock.now())), 'chain-broken');
    expect(error.message).toContain('entry 4');
    expect(fx.raw().prepare('SELECT COUNT(*) FROM audit_entries').pluck().get()).toBe(5);
  });

  it('refuses a forged anchor: a purged entry that does not name the deleted hash', () => {
    appendMany(fx, 6);
    fx.trail.purge(new Date('2025-01-06T09:02:00.000Z'));
    // Someone deletes one more old entry and hopes the purge entry covers it.
    tamper('DELETE FROM audit_entries WHERE seq = 3');
    expect(fx.trail.verify()).toMatchObject({ ok: false, seq: 4, problem: 'unanchored' });
  });
});

describe('what never goes in', () => {
  /** [what, type, details, the field the message names, the value it must not repeat] */
  const refused: [string, AuditType, Record<string, unknown>, string, string][] = [
    [
      'an unknown field (a customer name)',
      'captured',
      { ...SAMPLE_DETAILS.captured, customerName: 'Aigerim Bekova' },
      'customerName',
      'Aigerim',
    ],
    [
      'a picture',
      'captured',
      { ...SAMPLE_DETAILS.captured, image: 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ' },
      'image',
      '/9j/4AAQ',
    ],
    [
      'a password field',
      'staff-signed-in',
      { staff: 'teller-7', password: 'hunter2' },
      'password',
      'hunter2',
    ],
    ['a PIN', 'pin-failed', { staff: 'teller-7', failures: 1, pin: '938271' }, 'pin', '938271'],
    [
      'a credential value',
      'credentials-changed',
      { vendor: 'kairos', field: 'appKey', action: 'set', value: 'training-app-key' },
      'value',
      'training-app-key',
    ],
    [
      'a setting that names a secret',
      'settings-changed',
      { key: 'kairos.appKey', oldValue: null, newValue: 'sk-live-4242' },
      'key',
      'sk-live-4242',
    ],
    [
      'a key-like value',
      'settings-changed',
      {
        key: 'camera',
        oldValue: null,
        newValue: 'training-api-key-kiosk-verify-emulator-not-a-secret',
      },
      'newValue',
      'emulator-not-a-secret',
    ],
    [
      'an image as a data URL',
      'settings-changed',
      { key: 'camera', oldValue: null, newValue: 'data:image/png;base64,iVBORw0K' },
      'newValue',
      'iVBORw0K',
    ],
    ['a name where an id goes', 'staff-signed-in', { staff: 'Aigerim Bekova' }, 'staff', 'Aigerim'],
    [
      'a nested object',
      'settings-changed',
      { key: 'capture', oldValue: { selfieMinFaceRatio: 0.2 }, newValue: null },
      'oldValue',
      'selfieMinFaceRatio',
    ],
    ['a missing field', 'queued', { job: 'j-1', api: 'kairos-liveness-v0.2' }, 'ticket', 'j-1'],
  ];

  it.each(refused)(
    'refuses %s, naming the field, never repeating the value',
    (_, type, details, field, secret) => {
      const error = expectRefused(() => fx.trail.append(type, details as never), 'invalid-details');
      expect(error.message).toContain(field);
      expect(error.message).not.toContain(secret);
      expect(fx.trail.verify()).toMatchObject({ ok: true, entries: 0 });
    },
  );

  it('refuses an unknown type', () => {
    const error = expectRefused(
      () => fx.trail.append('customer-named' as AuditType, {} as never),
      'unknown-type',
    );
    expect(error.message).toContain('app-started');
  });

  it('accepts a plain setting value a spreadsheet would run as a formula (the export escapes it)', () => {
    fx.trail.append('settings-changed', {
      key: 'camera',
      oldValue: "=cmd|' /C calc'!A0",
      newValue: 'HD Pro Webcam C920 (046d:082d)',
    });
    expect(fx.trail.verify()).toMatchObject({ ok: true, entries: 1 });
  });
});
