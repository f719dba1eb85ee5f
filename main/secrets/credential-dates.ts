/**
 * When each vendor's credentials were last set or removed on this kiosk, for the staff
 * console's "set on 2 December" (never the values: those stay in the keychain). A small JSON
 * file in the data folder, written atomically; a file that cannot be read means "not known".
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VENDOR_IDS, type VendorId } from '../../model/apis.js';

export const CREDENTIAL_DATES_FILE = 'credentials-changed.json';

export class CredentialDates {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, CREDENTIAL_DATES_FILE);
  }

  /** ISO 8601 per vendor, or null when this kiosk has no record. */
  read(): Record<VendorId, string | null> {
    const dates = Object.fromEntries(VENDOR_IDS.map((vendor) => [vendor, null])) as Record<
      VendorId,
      string | null
    >;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      return dates;
    }
    if (typeof json !== 'object' || json === null) return dates;
    for (const vendor of VENDOR_IDS) {
      const value = (json as Record<string, unknown>)[vendor];
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) dates[vendor] = value;
    }
    return dates;
  }

  /** Notes that `vendor`'s credentials changed at `at`. */
  record(vendor: VendorId, at: Date): void {
    const next = { ...this.read(), [vendor]: at.toISOString() };
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}
