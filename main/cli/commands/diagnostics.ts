/** `kiosk-verify diagnostics --out FILE`: the support archive, from the data folder alone. */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditTrail } from '../../audit/audit-trail.js';
import { gatherDiagnostics } from '../../diagnostics/gather.js';
import { openQueueStore } from '../../services.js';
import { defaultPolicyFile } from '../../settings/managed-policy.js';
import { SettingsStore } from '../../settings/settings-store.js';
import packageJson from '../../../package.json' with { type: 'json' };
import { usageError } from '../cli-error.js';
import { dataDirOf, type CliContext } from '../cli-context.js';
import type { CommandResult } from '../command-result.js';
import { outputFileError } from '../output-file-error.js';

export const DIAGNOSTICS_HELP = `Usage: kiosk-verify diagnostics --out FILE [--data-dir DIR]

Writes one .tar.gz for a support ticket: the event log and its rotated files, the settings in
force (with what the bank's policy locks), which keychain entries are set (never a value),
queue totals and each job's ticket, state, attempts and error code (no images, results or
staff references), whether the audit trail verifies, and the versions of the app, Node,
sharp/libvips and the OS. It needs no data key, so it works when the keychain is the trouble.
The staff console's "Save diagnostics" makes the same archive.
  --out       the file to write (.tar.gz); an existing file is replaced
  --data-dir  the kiosk's data folder (default: the app's)`;

export async function runDiagnostics(args: string[], context: CliContext): Promise<CommandResult> {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: 'string' }, 'data-dir': { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw usageError(`Unexpected "${positionals.join(' ')}".`);
  const out = values.out;
  if (out === undefined || out.trim() === '') throw usageError('--out FILE is required.');
  const dataDir = dataDirOf(values['data-dir'], context.env);
  const store = openQueueStore(dataDir);
  const auditFile = join(dataDir, 'audit.sqlite');
  let audit = null as AuditTrail | null;
  try {
    const logsDir = join(dataDir, 'logs');
    const logFiles = existsSync(logsDir)
      ? readdirSync(logsDir)
          .filter((name) => name.startsWith('kiosk-verify.log'))
          .sort()
          .map((name) => join(logsDir, name))
      : [];
    const archive = await gatherDiagnostics({
      app: { version: packageJson.version, training: null },
      store: () => store,
      settings: () =>
        new SettingsStore(join(dataDir, 'settings.json'), { policyFile: defaultPolicyFile() }),
      keychain: () => context.keychain(),
      audit: existsSync(auditFile) ? () => (audit ??= AuditTrail.open(dataDir)) : null,
      logFiles,
    });
    try {
      writeFileSync(out, archive.bytes, { mode: 0o600 });
    } catch (error) {
      throw outputFileError(out, error, {
        what: 'the diagnostics',
        exampleName: 'diagnostics.tar.gz',
      });
    }
    return {
      value: {
        file: out,
        bytes: archive.bytes.length,
        contents: archive.files,
        message: `Diagnostics written to ${out}. Attach it to the support ticket.`,
      },
    };
  } finally {
    store.close();
    audit?.close();
  }
}
