/** `kiosk-verify audit verify|export`: the tamper-evident audit trail, for compliance. */
import { createWriteStream, rmSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { isAuditError, type AuditError } from '../../audit/audit-error.js';
import { AuditTrail } from '../../audit/audit-trail.js';
import { outputFileError } from '../output-file-error.js';
import type { CliError } from '../cli-error.js';
import { usageError } from '../cli-error.js';
import { dataDirOf, type CliContext } from '../cli-context.js';
import type { CommandResult } from '../command-result.js';
import {
  EXIT_INTERNAL,
  EXIT_NO_QUEUE,
  EXIT_STORAGE,
  EXIT_USAGE,
} from '../../failures/exit-codes.js';

/** `audit verify` found the chain broken: an entry was changed, deleted or inserted. */
export const EXIT_AUDIT_BROKEN = 23;

export const AUDIT_HELP = `Usage: kiosk-verify audit verify [--data-dir DIR]
       kiosk-verify audit export [--from DATE] [--to DATE] [--out FILE] [--data-dir DIR]

The audit trail (audit.sqlite in the kiosk's data folder): who did what and when, for the
bank's compliance team. Every entry is chained to the one before it by a sha256, so an entry
changed, deleted or inserted afterwards is found.
  verify  walk the whole chain. Prints {"ok":true,"entries","firstSeq","lastSeq","headHash"}
          (note the headHash: comparing it later also shows a trail rewritten from the end),
          or the first broken entry {"ok":false,"seq","problem","reason"} and exits 23.
  export  the entries as CSV (RFC 4180, a header row; cells that a spreadsheet would run
          as a formula start with '), to standard output or --out FILE. The details column
          and the two hashes let anyone check the chain from the export alone.
  --from  entries at or after this time; --to  entries before this time. A date
          (2026-12-01, midnight UTC) or a time with its offset (2026-12-01T09:30:00Z).
  --out   write the CSV here (a new file, readable only by you; never overwritten)
  --data-dir  the kiosk's data folder (default: the app's); it must hold a queue
Exit codes: 0 verified (or exported), 2 usage, 8 the trail's file cannot be read, 20 no
audit trail in the folder, 22 --out cannot be written, 23 the chain is broken.`;

/** A date alone (UTC midnight), or a date and time with Z or an offset: never local time. */
const ISO_TEXT =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

function parseTime(text: string | undefined, flag: string): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (!ISO_TEXT.test(text) || Number.isNaN(date.getTime())) {
    throw usageError(
      `${flag} must be a date like 2026-12-01 or a time with its offset like ` +
        `2026-12-01T09:30:00Z, not "${text}".`,
    );
  }
  return date;
}

export async function runAudit(args: string[], context: CliContext): Promise<CommandResult> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const [action, ...extra] = positionals;
  if (extra.length > 0) throw usageError(`Unexpected "${extra.join(' ')}".`);
  if (action !== 'verify' && action !== 'export') {
    throw usageError('Say what to do: verify or export.');
  }
  if (action === 'verify' && (values.from ?? values.to ?? values.out) !== undefined) {
    throw usageError('--from, --to and --out are for export; verify checks the whole trail.');
  }
  const from = parseTime(values.from, '--from');
  const to = parseTime(values.to, '--to');
  if (values.out !== undefined && values.out.trim() === '') throw usageError('--out needs a file.');
  const dataDir = dataDirOf(values['data-dir'], context.env);
  let trail: AuditTrail;
  try {
    trail = AuditTrail.open(dataDir, { mustExist: true });
  } catch (error) {
    return auditFailure(context, error);
  }
  try {
    if (action === 'verify') {
      const result = trail.verify();
      return { value: result, exitCode: result.ok ? 0 : EXIT_AUDIT_BROKEN };
    }
    const range = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
    if (values.out === undefined) {
      await trail.exportCsv(context.stdout, range);
      return { text: '' };
    }
    return { value: await exportToFile(trail, values.out, range) };
  } catch (error) {
    return auditFailure(context, error);
  } finally {
    trail.close();
  }
}

async function exportToFile(
  trail: AuditTrail,
  file: string,
  range: { from?: Date; to?: Date },
): Promise<{ file: string; rows: number }> {
  // 'wx': a new file only (an existing file or a symbolic link is refused, never overwritten).
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  try {
    await once(out, 'open');
  } catch (error) {
    throw outputError(file, error);
  }
  try {
    const { rows } = await trail.exportCsv(out, range);
    out.end();
    await once(out, 'finish');
    return { file: path.resolve(file), rows };
  } catch (error) {
    // Half an export is worse than none: it looks complete.
    out.destroy();
    rmSync(file, { force: true });
    throw isAuditError(error) ? error : outputError(file, error);
  }
}

function outputError(file: string, error: unknown): CliError {
  return outputFileError(file, error, { what: 'an export' });
}

/** The audit trail's own failures, printed like every other failure, with their exit code. */
function auditFailure(context: CliContext, error: unknown): CommandResult {
  if (!isAuditError(error)) throw error;
  context.stderr.write(`${JSON.stringify({ error: error.toJSON() }, null, 2)}\n`);
  return { text: '', exitCode: exitCodeOf(error) };
}

function exitCodeOf(error: AuditError): number {
  switch (error.code) {
    case 'no-trail':
      return EXIT_NO_QUEUE;
    case 'storage':
    case 'newer-format':
      return EXIT_STORAGE;
    case 'invalid-range':
      return EXIT_USAGE;
    default:
      return EXIT_INTERNAL;
  }
}
