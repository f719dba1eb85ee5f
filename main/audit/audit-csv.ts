/**
 * The audit trail as CSV for the compliance team (RFC 4180: a header row, CRLF line ends, a
 * field quoted when it holds a comma, a quote, CR or LF, quotes doubled), safe to open in a
 * spreadsheet: a cell that starts with = + - @ tab or CR would run as a formula there, so it
 * gets a leading single quote inside the field (OWASP's "CSV injection" advice).
 *
 * Columns: seq, at, type, one per detail field (DETAIL_FIELDS, empty where the type has none),
 * then `details` (the canonical JSON that was hashed: it starts with "{", so it is never altered),
 * prev_hash and hash, so an export can be checked against the chain without the database.
 */
import { DETAIL_FIELDS } from './audit-types.js';

export const CSV_COLUMNS: readonly string[] = [
  'seq',
  'at',
  'type',
  ...DETAIL_FIELDS,
  'details',
  'prev_hash',
  'hash',
];

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field, escaped for formulas and then quoted as RFC 4180 needs. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.map(csvField).join(',')}\r\n`;
}

/** One entry as a CSV line (CRLF included); `detailsJson` is the stored canonical text. */
export function csvRow(
  seq: number,
  at: string,
  type: string,
  detailsJson: string,
  prevHash: string,
  hash: string,
): string {
  const details = parseDetails(detailsJson);
  const cells = [String(seq), at, type];
  for (const field of DETAIL_FIELDS) cells.push(cellText(details[field]));
  cells.push(detailsJson, prevHash, hash);
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** The stored details; an entry damaged or edited by hand still exports (its columns empty). */
function parseDetails(detailsJson: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(detailsJson);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
