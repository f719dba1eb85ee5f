/**
 * kiosk-verify: the support command line over the same services the kiosk uses.
 * Results go to stdout as JSON; failures go to stderr as {"error":{code,message,retryable}}
 * with one exit code per failure class (see exit-codes.ts).
 */
import { once } from 'node:events';
import { isVendorError } from '../vendors/errors.js';
import { CliError, usageError } from './cli-error.js';
import { EMULATOR_HELP, runEmulator } from './commands/emulator.js';
import { LIVENESS_HELP, MATCH_HELP, runLiveness, runMatch } from './commands/verify.js';
import {
  EXIT_CODES_HELP,
  EXIT_FOR_VENDOR_ERROR,
  EXIT_INPUT,
  EXIT_INTERNAL,
  EXIT_OK,
  EXIT_USAGE,
} from './exit-codes.js';

const MAIN_HELP = `Usage: kiosk-verify <command> [options]

Support tool for Kiosk Verify kiosks.

Commands:
  liveness   check that a selfie shows a live person
  match      compare a selfie with an ID document's photo
  emulator   run the local vendor emulator (training and tests)

Run kiosk-verify <command> --help for a command's options.

${EXIT_CODES_HELP}`;

const COMMAND_HELP: Record<string, string> = {
  liveness: LIVENESS_HELP,
  match: MATCH_HELP,
  emulator: EMULATOR_HELP,
};

export interface CliIo {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Resolves when the operator asks to stop (SIGINT/SIGTERM). */
  stopSignal: Promise<void>;
}

function printJson(stream: NodeJS.WritableStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

function exitCodeOf(error: unknown): number {
  if (isVendorError(error)) return EXIT_FOR_VENDOR_ERROR[error.code];
  if (error instanceof CliError) return error.code === 'usage' ? EXIT_USAGE : EXIT_INPUT;
  return EXIT_INTERNAL;
}

function errorBody(error: unknown): unknown {
  if (isVendorError(error) || error instanceof CliError) return error.toJSON();
  if (
    error instanceof Error &&
    (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
  ) {
    return usageError(error.message).toJSON();
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected failure: ${message}`, retryable: false };
}

/** Runs one command; returns the process exit code. Never throws. */
export async function runCli(io: CliIo): Promise<number> {
  const [command, ...rest] = io.argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(`${MAIN_HELP}\n`);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const help = COMMAND_HELP[command];
  if (help === undefined) {
    printJson(io.stderr, {
      error: usageError(`Unknown command "${command}". Try --help.`).toJSON(),
    });
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${help}\n`);
    return EXIT_OK;
  }
  try {
    if (command === 'emulator') {
      await runEmulator(rest, io.stdout, io.stopSignal);
    } else {
      const result =
        command === 'match' ? await runMatch(rest, io.env) : await runLiveness(rest, io.env);
      printJson(io.stdout, result);
    }
    return EXIT_OK;
  } catch (error) {
    const parseError =
      error instanceof TypeError &&
      (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    const shown = parseError ? usageError(error.message) : error;
    printJson(io.stderr, { error: errorBody(shown) });
    return exitCodeOf(shown);
  }
}

/** The process entry: wires real stdio and signals to runCli. */
export async function main(): Promise<void> {
  const stop = Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]).then(
    () => undefined,
  );
  const code = await runCli({
    argv: process.argv.slice(2),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stopSignal: stop,
  });
  process.exitCode = code;
  // Pending signal listeners must not keep a finished command alive.
  process.exit(code);
}
