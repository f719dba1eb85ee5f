/** `kiosk-verify staff set-pin|status`: the staff console's PIN, for branch IT. */
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS } from '../../staff/pin-rules.js';
import { isStaffError, type StaffError } from '../../staff/staff-errors.js';
import { StaffPinStore } from '../../staff/staff-pin-store.js';
import { CliError, usageError } from '../cli-error.js';
import { dataDirOf, type CliContext } from '../cli-context.js';
import type { CommandResult } from '../command-result.js';
import { readSecretLines } from '../read-secret-input.js';

export const STAFF_HELP = `Usage: kiosk-verify staff set-pin [--data-dir DIR]
       kiosk-verify staff status [--data-dir DIR]

The staff console's PIN (${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits), kept as a salted scrypt hash in
staff-pin.json in the kiosk's data folder; never the PIN itself.
  set-pin  set a new PIN: for a forgotten one, or before the first start. It replaces the
           old PIN and clears a lockout (five wrong PINs lock the console for five minutes).
           The PIN is read from standard input, never the command line: on a terminal you
           are asked twice and nothing is shown; otherwise one line. A PIN that is one
           digit repeated, a run (123456, 654321) or a group repeated (121212) is refused.
  status   whether a PIN is set, and whether the console is locked out (until when)
Run it as the kiosk's own OS account: the kiosk cannot read a PIN file another account wrote.
  --data-dir  the kiosk's data folder (default: the app's, shared with the kiosk); it must
              hold the kiosk's queue`;

export async function runStaff(args: string[], context: CliContext): Promise<CommandResult> {
  const { values, positionals } = parseArgs({
    args,
    options: { 'data-dir': { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  const [action, ...extra] = positionals;
  if (extra.length > 0) {
    throw usageError(
      action === 'set-pin'
        ? 'staff set-pin takes no PIN on the command line (others could see it): it reads it from standard input.'
        : `Unexpected "${extra.join(' ')}".`,
    );
  }
  if (action !== 'set-pin' && action !== 'status') {
    throw usageError('Say what to do: staff set-pin or staff status.');
  }
  const dataDir = dataDirOf(values['data-dir'], context.env);
  const store = new StaffPinStore({ dataDir });
  try {
    if (action === 'status') {
      const status = await store.status();
      return {
        value:
          status.state === 'set' && status.locked
            ? { ...status, until: new Date(status.until).toISOString() }
            : status,
      };
    }
    assertOwnFolder(dataDir);
    const pin = await readNewPin(context);
    const { replaced, lockCleared } = await store.resetPin(pin);
    return {
      value: {
        pin: 'set',
        replaced,
        lockCleared,
        file: store.file,
        message:
          `The staff PIN is ${replaced ? 'replaced' : 'set'}` +
          `${lockCleared ? ' and the lockout cleared' : ''}. Staff sign in with it now.`,
      },
    };
  } catch (error) {
    if (isStaffError(error)) throw cliErrorOf(error);
    throw error;
  }
}

const FIRST_LABEL = `New staff PIN (${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits)`;

/** The new PIN from standard input: asked twice on a terminal (nothing shown), else one line. */
async function readNewPin(context: CliContext): Promise<string> {
  const labels = context.stdin.isTTY ? [FIRST_LABEL, 'The same PIN again'] : [FIRST_LABEL];
  const lines = await readSecretLines(context.stdin, context.stderr, labels);
  const [pin, again] = lines;
  if (pin === undefined || pin === '') {
    throw new CliError('input', `Expected the new staff PIN on standard input, one line.`);
  }
  if (labels.length === 2 && again !== pin) {
    throw usageError('The two PINs typed differ. Nothing was changed; run it again.');
  }
  return pin;
}

/**
 * Refuses to write into a folder another OS account owns (IT running this with sudo): the
 * file would belong to that account, 0600, and the kiosk could not read it.
 */
function assertOwnFolder(dataDir: string): void {
  if (typeof process.getuid !== 'function') return;
  let owner: number;
  try {
    owner = statSync(dataDir).uid;
  } catch {
    return; // No folder yet (the default one before the first start): it will be ours.
  }
  if (owner !== process.getuid()) {
    throw usageError(
      `${dataDir} belongs to another OS account (uid ${owner}). Run this command as that ` +
        'account (for example: sudo -u <kiosk account> kiosk-verify staff set-pin), so the ' +
        'kiosk can read the PIN file.',
    );
  }
}

/** The staff room's errors as the command line prints them: the fix, and its exit class. */
function cliErrorOf(error: StaffError): CliError {
  switch (error.code) {
    case 'pin-file-unwritable':
      return new CliError('output', error.message);
    case 'pin-file-unreadable':
      return new CliError('input', error.message);
    default:
      return usageError(error.message);
  }
}
