/**
 * The chain: each entry's hash covers its own fields and the previous entry's hash, so changing,
 * removing or inserting an entry breaks every link after it.
 *
 * The canonical serialization (what is hashed, also written in the README so anyone can check
 * an export by hand): the JSON array `[seq, at, type, details, prev_hash]` with no whitespace,
 * `details` a flat object with its keys in code-point order and no undefined values, as
 * JSON.stringify writes it. The stored `details` column is exactly that object's text, so
 * verifying needs no parsing: the hash input is assembled from the stored text.
 */
import { createHash } from 'node:crypto';

/** The first entry's prev_hash: nothing came before it. */
export const GENESIS_HASH = '0'.repeat(64);

export type DetailValue = string | number | boolean | null;

/** The details' canonical JSON: keys sorted, undefined dropped. Values are plain (checked before). */
export function canonicalDetails(details: Readonly<Record<string, unknown>>): string {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(details).sort()) {
    if (details[key] !== undefined) sorted[key] = details[key];
  }
  return JSON.stringify(sorted);
}

/** sha256 (lower-case hex) of the canonical serialization; `detailsJson` is canonicalDetails'. */
export function entryHash(
  seq: number,
  at: string,
  type: string,
  detailsJson: string,
  prevHash: string,
): string {
  const input = `[${seq},${JSON.stringify(at)},${JSON.stringify(type)},${detailsJson},${JSON.stringify(prevHash)}]`;
  return createHash('sha256').update(input, 'utf8').digest('hex');
}
