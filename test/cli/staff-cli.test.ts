/**
 * `kiosk-verify staff set-pin` as IT runs it for a forgotten PIN: the PIN from standard input
 * (never the command line), a lockout cleared, weak PINs refused. Through the command's own
 * function (runStaff) with a piped stdin, on a real data folder holding a queue.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../../main/cli/cli-error.js';
import type { CliContext } from '../../main/cli/cli-context.js';
import { runStaff, STAFF_HELP } from '../../main/cli/commands/staff.js';
import { queueDatabasePath } from '../../main/queue/store/data-dir.js';
import { JobStore } from '../../main/queue/store/job-store.js';
import { StaffPinStore } from '../../main/staff/staff-pin-store.js';

const PIN = '482915';
const NEW_PIN = '915372';

let dataDir: string;
let stderr: PassThrough;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kv-staff-cli-'));
  // A kiosk's data folder: it holds the queue (--data-dir must, as for the queue commands).
  JobStore.open({ file: queueDatabasePath(dataDir), dataKey: null }).close();
  stderr = new PassThrough();
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** The command's context with `input` piped to its standard input (not a terminal). */
function context(input: string): CliContext {
  return {
    env: {},
    stdin: Readable.from([input]) as unknown as NodeJS.ReadStream,
    stdout: new PassThrough(),
    stderr,
    stop: new AbortController().signal,
    keychain: () => {
      throw new Error('staff commands must not open the keychain');
    },
  };
}

function staff(args: string[], input = ''): ReturnType<typeof runStaff> {
  return runStaff([...args, '--data-dir', dataDir], context(input));
}

describe('kiosk-verify staff set-pin', () => {
  it('sets the PIN read from standard input, and says so without showing it', async () => {
    const result = await staff(['set-pin'], `${PIN}\n`);
    expect(result.value).toMatchObject({ pin: 'set', replaced: false, lockCleared: false });
    expect(JSON.stringify(result.value)).not.toContain(PIN);
    expect(await new StaffPinStore({ dataDir }).verifyPin(PIN)).toEqual({ ok: true });
    expect(readFileSync(join(dataDir, 'staff-pin.json'), 'utf8')).not.toContain(PIN);
  });

  it('replaces a forgotten PIN and clears the lockout', async () => {
    const store = new StaffPinStore({ dataDir });
    await store.setPin(PIN);
    for (let i = 0; i < 5; i += 1) await store.verifyPin('730164');
    expect(await store.verifyPin(PIN)).toMatchObject({ reason: 'locked' });
    const status = await staff(['status']);
    expect(status.value).toMatchObject({ state: 'set', locked: true });
    expect((status.value as { until: string }).until).toMatch(/^\d{4}-\d\d-\d\dT/);

    const result = await staff(['set-pin'], `${NEW_PIN}\n`);
    expect(result.value).toMatchObject({ replaced: true, lockCleared: true });
    expect(await store.verifyPin(NEW_PIN)).toEqual({ ok: true });
    expect(await store.verifyPin(PIN)).toMatchObject({ reason: 'wrong-pin', triesLeft: 4 });
    expect((await staff(['status'])).value).toMatchObject({ locked: false, triesLeft: 4 });
  });

  it('refuses a PIN on the command line, and changes nothing', async () => {
    const error = await staff(['set-pin', PIN], `${NEW_PIN}\n`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ code: 'usage' });
    expect((error as Error).message).toContain('standard input');
    expect((error as Error).message).not.toContain(PIN);
    expect(await new StaffPinStore({ dataDir }).state()).toBe('not-set');
  });

  it.each([
    ['a weak PIN', '123456\n', 'usage', /too easy to guess/],
    ['a malformed PIN', '48-29-15\n', 'usage', /6 to 12 digits/],
    ['nothing', '', 'input', /standard input/],
  ])('refuses %s with what to do, and changes nothing', async (_what, input, code, message) => {
    const error = await staff(['set-pin'], input).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(message);
    expect(await new StaffPinStore({ dataDir }).state()).toBe('not-set');
  });

  it('refuses a --data-dir that holds no kiosk queue (a typo)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'kv-staff-cli-empty-'));
    try {
      const error = await runStaff(['set-pin', '--data-dir', empty], context(`${PIN}\n`)).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ code: 'no-queue' });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('documents that the PIN comes from standard input', () => {
    expect(STAFF_HELP).toContain('kiosk-verify staff set-pin');
    expect(STAFF_HELP).toContain('standard input, never the command line');
  });
});
