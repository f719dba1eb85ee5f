/**
 * kiosk-verify: the support command line over the same services the kiosk uses.
 * Results go to stdout as JSON; failures go to stderr as {"error":{code,message,retryable}}
 * with one exit code per failure class (see exit-codes.ts).
 */
import { describeFailure } from '../failures/describe-failure.js';
import { CliError, usageError, type CliErrorCode } from './cli-error.js';
import { createCliContext, type CliContext } from './cli-context.js';
import type { CommandResult } from './command-result.js';
import { AUDIT_HELP, runAudit } from './commands/audit.js';
import { DIAGNOSTICS_HELP, runDiagnostics } from './commands/diagnostics.js';
import { EMULATOR_HELP, runEmulator } from './commands/emulator.js';
import { ENQUEUE_HELP, runEnqueue } from './commands/enqueue.js';
import { PREPARE_HELP, runPrepare } from './commands/prepare.js';
import { QUEUE_HELP, runQueue } from './commands/queue.js';
import { SECRETS_HELP, runSecrets } from './commands/secrets.js';
import { STAFF_HELP, runStaff } from './commands/staff.js';
import { LIVENESS_HELP, MATCH_HELP, runLiveness, runMatch } from './commands/verify.js';
import {
  EXIT_CODES_HELP,
  EXIT_INPUT,
  EXIT_INTERNAL,
  EXIT_NO_QUEUE,
  EXIT_OK,
  EXIT_OUTPUT,
  EXIT_PORT_IN_USE,
  EXIT_USAGE,
} from '../failures/exit-codes.js';

const EXIT_FOR_CLI_ERROR: Record<CliErrorCode, number> = {
  usage: EXIT_USAGE,
  input: EXIT_INPUT,
  'no-queue': EXIT_NO_QUEUE,
  'port-in-use': EXIT_PORT_IN_USE,
  output: EXIT_OUTPUT,
};

const MAIN_HELP = `Usage: kiosk-verify <command> [options]

Support tool for Kiosk Verify kiosks.

Commands:
  liveness   check that a selfie shows a live person
  match      compare a selfie with an ID document's photo
  prepare    check and prepare a photo as the kiosk would, without sending it
  enqueue    prepare photos and queue the verification for delivery
  queue      list, show, drain, retry, discard or purge queued verifications
  secrets    set, check or delete the vendors' credentials in the OS keychain
  audit      verify or export the tamper-evident audit trail (who did what)
  staff      set the staff console's PIN (read from standard input), or see if it is locked
  diagnostics  write logs, settings, queue states and versions as one .tar.gz for support
  emulator   run the local vendor emulator (training and tests)

Run kiosk-verify <command> --help for a command's options.

${EXIT_CODES_HELP}`;

type Command = (args: string[], context: CliContext) => Promise<CommandResult>;

const COMMANDS: Record<string, { help: string; run: Command }> = {
  liveness: { help: LIVENESS_HELP, run: runLiveness },
  match: { help: MATCH_HELP, run: runMatch },
  prepare: { help: PREPARE_HELP, run: runPrepare },
  enqueue: { help: ENQUEUE_HELP, run: runEnqueue },
  queue: { help: QUEUE_HELP, run: runQueue },
  audit: { help: AUDIT_HELP, run: runAudit },
  staff: { help: STAFF_HELP, run: runStaff },
  diagnostics: { help: DIAGNOSTICS_HELP, run: runDiagnostics },
  secrets: {
    help: SECRETS_HELP,
    run: async (args, context) => ({ value: await runSecrets(args, context) }),
  },
  emulator: {
    help: EMULATOR_HELP,
    run: async (args, context) => {
      await runEmulator(args, context.stdout, context.stop);
      return { text: '' };
    },
  },
};

function printJson(stream: NodeJS.WritableStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

function isParseArgsError(error: unknown): error is Error {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/**
 * Every failure as {code, message, retryable} and its exit code: the command line's own errors
 * here, the services' through the one mapping (describe-failure.ts); a bug says so.
 */
function describeCliFailure(error: unknown): { body: unknown; exitCode: number } {
  if (error instanceof CliError) {
    return { body: error.toJSON(), exitCode: EXIT_FOR_CLI_ERROR[error.code] };
  }
  if (isParseArgsError(error))
    return { body: usageError(error.message).toJSON(), exitCode: EXIT_USAGE };
  const failure = describeFailure(error);
  if (failure) {
    const { code, message, retryable, exitCode } = failure;
    return { body: { code, message, retryable }, exitCode };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    body: { code: 'internal', message: `Unexpected failure: ${message}`, retryable: false },
    exitCode: EXIT_INTERNAL,
  };
}

/** Runs one command; returns the process exit code. Never throws. */
export async function runCli(argv: string[], context: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    context.stdout.write(`${MAIN_HELP}\n`);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    printJson(context.stderr, {
      error: usageError(`Unknown command "${name}". Try --help.`).toJSON(),
    });
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    context.stdout.write(`${command.help}\n`);
    return EXIT_OK;
  }
  try {
    const result = await command.run(rest, context);
    if (result.text !== undefined) {
      if (result.text !== '') context.stdout.write(`${result.text}\n`);
    } else {
      printJson(context.stdout, result.value);
    }
    return result.exitCode ?? EXIT_OK;
  } catch (error) {
    const { body, exitCode } = describeCliFailure(error);
    printJson(context.stderr, { error: body });
    return exitCode;
  }
}

/** The process entry: wires real stdio, signals and the OS keychain to runCli. */
export async function main(): Promise<void> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const context = createCliContext({
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    stop: stop.signal,
  });
  const code = await runCli(process.argv.slice(2), context);
  // Let stdout drain, then leave: an idle keychain or D-Bus handle must not keep us alive.
  process.stdout.write('', () => process.exit(code));
}
