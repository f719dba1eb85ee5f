/**
 * The console's audit export: the entries of whole days (UTC) as CSV text, which the console
 * saves as a file. The CLI's `audit export` streams to a file instead; this one is for the
 * ranges staff ask for at a counter, capped so a year of entries cannot fill the renderer.
 */
import { Writable } from 'node:stream';
import type { AuditExport } from '../../preload/contract.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import { ConsoleError } from '../staff/console-error.js';

/** About 60 MB of CSV at most; a longer range is the CLI's job (it streams to a file). */
export const CONSOLE_EXPORT_MAX_DAYS = 92;
const DAY_MS = 24 * 60 * 60 * 1000;

export async function auditCsvForDays(
  audit: AuditTrail,
  fromDay: string,
  toDay: string,
): Promise<AuditExport> {
  const from = new Date(`${fromDay}T00:00:00.000Z`);
  const to = new Date(new Date(`${toDay}T00:00:00.000Z`).getTime() + DAY_MS);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    throw new ConsoleError('bad-input', 'The export dates are not real days.');
  }
  if ((to.getTime() - from.getTime()) / DAY_MS > CONSOLE_EXPORT_MAX_DAYS) {
    throw new ConsoleError(
      'bad-input',
      `Export at most ${CONSOLE_EXPORT_MAX_DAYS} days from the console; for longer ranges IT ` +
        'runs "kiosk-verify audit export --from --to --out FILE".',
    );
  }
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      done();
    },
  });
  const { rows } = await audit.exportCsv(sink, { from, to });
  return {
    csv: Buffer.concat(chunks).toString('utf8'),
    rows,
    fileName: `kiosk-verify-audit-${fromDay}-to-${toDay}.csv`,
  };
}
