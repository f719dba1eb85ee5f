/**
 * `kiosk-verify audit verify|export` as compliance and support run them: the built CLI in a
 * child process, a real data folder with a queue and an audit trail, tampering done with SQL.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditDatabasePath } from '../../main/audit/audit-database.js';
import { AuditTrail } from '../../main/audit/audit-trail.js';
import { ManualClock, MINUTE } from '../../main/clock/clock.js';
import { openQueueStore } from '../../main/services.js';
import { runCli, type CliRun } from '../helpers/run-cli.js';

let dir: string;
let dataDir: string;

const cli = (args: string[]): Promise<CliRun> => runCli(args);

/** A data folder as the kiosk leaves it: a queue, and a trail of `count` entries a minute apart. */
function kioskDataDir(name: string, count: number): string {
  const folder = join(dir, name);
  openQueueStore(folder).close();
  const clock = new ManualClock(Date.parse('2026-12-01T09:00:00.000Z'));
  const trail = AuditTrail.open(folder, { clock });
  trail.append('app-started', { version: '0.1.0', training: false });
  for (let i = 1; i < count; i += 1) {
    clock.advance(MINUTE);
    trail.append('settings-changed', {
      key: 'camera',
      oldValue: i === 1 ? "=cmd|' /C calc'!A0" : `Camera ${i}, "front"`,
      newValue: i,
    });
  }
  trail.close();
  return folder;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-audit-cli-'));
  dataDir = kioskDataDir('Kiosk Verify', 20);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('kiosk-verify audit', () => {
  it('verifies the chain and prints the head to keep', async () => {
    const run = await cli(['audit', 'verify', '--data-dir', dataDir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      entries: 20,
      firstSeq: 1,
      lastSeq: 20,
      headHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('exports CSV to standard output, formula cells neutralised', async () => {
    const run = await cli(['audit', 'export', '--data-dir', dataDir]);
    expect(run.code).toBe(0);
    const records = parse(run.stdout, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(20);
    expect(records[1]!.oldValue).toBe("'=cmd|' /C calc'!A0");
    expect(records[2]!.oldValue).toBe('Camera 2, "front"');
    expect(run.stdout.split('\r\n')).toHaveLength(22); // header, 20 rows, and the last CRLF
  });

  it('exports a range to a new private file, and never overwrites one', async () => {
    const out = join(dir, 'export.csv');
    const args = ['audit', 'export', '--data-dir', dataDir, '--out', out];
    const run = await cli([
      ...args,
      '--from',
      '2026-12-01T09:05:00Z',
      '--to',
      '2026-12-01T09:10:00Z',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ file: out, rows: 5 });
    const records = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.seq)).toEqual(['6', '7', '8', '9', '10']);
    if (process.platform !== 'win32') expect(statSync(out).mode & 0o777).toBe(0o600);

    const again = await cli(args);
    expect(again.code).toBe(22);
    expect(JSON.parse(again.stderr).error).toMatchObject({ code: 'output' });
    expect(JSON.parse(again.stderr).error.message).toContain('never overwrites');
  });

  it('exits 23 naming the entry when a row was edited or deleted', async () => {
    const tampered = kioskDataDir('tampered', 10);
    const db = new BetterSqlite3(auditDatabasePath(tampered));
    db.exec('DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_no_delete;');
    db.prepare(
      "UPDATE audit_entries SET details = replace(details, '6', '60') WHERE seq = 7",
    ).run();
    db.close();
    const run = await cli(['audit', 'verify', '--data-dir', tampered]);
    expect(run.code).toBe(23);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, seq: 7, problem: 'edited' });

    const deleted = kioskDataDir('deleted', 10);
    const db2 = new BetterSqlite3(auditDatabasePath(deleted));
    db2.exec('DROP TRIGGER audit_entries_no_delete; DELETE FROM audit_entries WHERE seq = 4;');
    db2.close();
    const run2 = await cli(['audit', 'verify', '--data-dir', deleted]);
    expect(run2.code).toBe(23);
    expect(JSON.parse(run2.stdout)).toMatchObject({ ok: false, seq: 4, problem: 'missing' });
  });

  it('says so when the folder has no trail, and refuses bad options', async () => {
    const noTrail = join(dir, 'queue-only');
    openQueueStore(noTrail).close();
    const run = await cli(['audit', 'verify', '--data-dir', noTrail]);
    expect(run.code).toBe(20);
    expect(JSON.parse(run.stderr).error).toMatchObject({ code: 'no-trail' });

    const badDate = await cli(['audit', 'export', '--data-dir', dataDir, '--from', '01/12/2026']);
    expect(badDate.code).toBe(2);
    expect(JSON.parse(badDate.stderr).error.message).toContain('--from');
    const localTime = await cli([
      'audit',
      'export',
      '--data-dir',
      dataDir,
      '--to',
      '2026-12-01T09:00',
    ]);
    expect(localTime.code).toBe(2);
    expect((await cli(['audit', 'shred', '--data-dir', dataDir])).code).toBe(2);
    expect((await cli(['audit', 'verify', '--out', 'x.csv', '--data-dir', dataDir])).code).toBe(2);

    const help = await cli(['audit', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('kiosk-verify audit verify');
    expect((await cli(['--help'])).stdout).toContain('audit ');
  });
});
