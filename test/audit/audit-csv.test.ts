/**
 * The CSV export: RFC 4180 read back by a real parser (csv-parse), every hash checkable from the
 * export alone, formula cells neutralised, a date range, and backpressure honoured.
 */
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvField } from '../../main/audit/audit-csv.js';
import { entryHash } from '../../main/audit/audit-hash.js';
import { AUDIT_TYPES } from '../../main/audit/audit-types.js';
import {
  appendFast,
  appendMany,
  makeTrail,
  SAMPLE_DETAILS,
  type TrailFixture,
} from './audit-fixtures.js';

let fx: TrailFixture;

beforeEach(() => {
  fx = makeTrail();
});

afterEach(() => {
  fx.cleanup();
});

/** Collects what is written; `delayMs` > 0 makes it a slow reader with a small buffer. */
class Collector extends Writable {
  text = '';
  maxBuffered = 0;
  drains = 0;
  readonly #delayMs: number;
  constructor(delayMs = 0) {
    super({ highWaterMark: 4 * 1024, decodeStrings: false });
    this.#delayMs = delayMs;
    this.on('drain', () => (this.drains += 1));
  }
  override _write(chunk: Buffer | string, _: BufferEncoding, done: () => void): void {
    this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
    this.text += chunk.toString();
    if (this.#delayMs > 0) setTimeout(done, this.#delayMs);
    else done();
  }
}

async function exportText(range: { from?: Date; to?: Date } = {}): Promise<string> {
  const out = new Collector();
  await fx.trail.exportCsv(out, range);
  return out.text;
}

const FORMULAS = ["=cmd|' /C calc'!A0", '+1', '-1', '@SUM(1)'];

describe('CSV export', () => {
  it('round-trips through a CSV parser: every entry, and every hash checkable from the file', async () => {
    for (const type of AUDIT_TYPES) {
      fx.trail.append(type, SAMPLE_DETAILS[type] as never);
      fx.clock.advance(1_000);
    }
    fx.trail.append('settings-changed', {
      key: 'camera',
      oldValue: 'Logitech, "HD" Pro',
      newValue: 'USB Camera; front',
    });
    const text = await exportText();
    // CRLF line ends, and nothing but.
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    expect(text.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));

    const records = parse(text, { columns: true }) as Record<string, string>[];
    const entries = fx.trail.list({ limit: 1_000 });
    expect(records).toHaveLength(entries.length);
    for (const [i, record] of records.entries()) {
      const entry = entries[i]!;
      expect(record.seq).toBe(String(entry.seq));
      expect(record.at).toBe(entry.at);
      expect(record.type).toBe(entry.type);
      expect(JSON.parse(record.details!)).toEqual(entry.details);
      expect(record.prev_hash).toBe(entry.prevHash);
      expect(record.hash).toBe(entry.hash);
      // The export alone is enough to check the chain.
      expect(
        entryHash(Number(record.seq), record.at!, record.type!, record.details!, record.prev_hash!),
      ).toBe(record.hash);
      if (i > 0) expect(record.prev_hash).toBe(records[i - 1]!.hash);
    }
    const last = records.at(-1)!;
    expect(last.oldValue).toBe('Logitech, "HD" Pro');
    expect(last.newValue).toBe('USB Camera; front');
    expect(records.find((r) => r.type === 'delivered')).toMatchObject({
      ticket: 'K7M2QX',
      attempts: '2',
      session: '',
    });
  });

  it('neutralises cells a spreadsheet would run as formulas', async () => {
    for (const value of FORMULAS) {
      fx.trail.append('settings-changed', { key: 'camera', oldValue: value, newValue: -1 });
    }
    const records = parse(await exportText(), { columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.oldValue)).toEqual(FORMULAS.map((value) => `'${value}`));
    expect(records.map((r) => r.newValue)).toEqual(FORMULAS.map(() => "'-1"));
    // The hashed JSON keeps the true value (it starts with "{", never a formula).
    expect(JSON.parse(records[0]!.details!)).toMatchObject({ oldValue: FORMULAS[0], newValue: -1 });
    for (const record of records) {
      for (const cell of Object.values(record)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('escapes each field as RFC 4180 says', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('=1+2')).toBe("'=1+2");
    expect(csvField('\tTAB')).toBe("'\tTAB");
    expect(csvField('\rCR')).toBe('"\'\rCR"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('')).toBe('');
  });

  it('exports a date range: from inclusive, to exclusive', async () => {
    appendMany(fx, 10); // 09:00 ... 09:09
    const records = parse(
      await exportText({
        from: new Date('2025-01-06T09:03:00.000Z'),
        to: new Date('2025-01-06T09:07:00.000Z'),
      }),
      { columns: true },
    ) as Record<string, string>[];
    expect(records.map((r) => r.seq)).toEqual(['4', '5', '6', '7']);
    expect(parse(await exportText({ from: new Date('2030-01-01') }))).toEqual([CSV_COLUMNS]);
  });

  it('waits for a slow reader: the buffer stays small however long the trail', async () => {
    appendFast(fx, 3_000);
    expect(fx.trail.verify()).toMatchObject({ ok: true, entries: 3_000 });
    const out = new Collector(1);
    const { rows } = await fx.trail.exportCsv(out, {});
    expect(rows).toBe(3_000);
    expect(out.drains).toBeGreaterThan(5);
    // A page (256 rows, under 150 KB) on top of a full buffer at most, never the whole export.
    expect(out.text.length).toBeGreaterThan(500_000);
    expect(out.maxBuffered).toBeLessThan(200 * 1024);
    expect(parse(out.text)).toHaveLength(3_001);
  });

  it('fails (and stops) when the reader fails', async () => {
    appendFast(fx, 2_000);
    const out = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, done) {
        setTimeout(() => done(new Error('disk gone')), 1);
      },
    });
    out.on('error', () => undefined);
    await expect(fx.trail.exportCsv(out, {})).rejects.toThrow(/disk gone|closed/);
  });
});
