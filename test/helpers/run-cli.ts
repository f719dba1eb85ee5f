/**
 * Runs the built command line as a person would (`bin/kiosk-verify.js`), standard input
 * closed, and collects what it printed and its exit code.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export const CLI_BIN = join(
  fileURLToPath(new URL('../../', import.meta.url)),
  'bin/kiosk-verify.js',
);

export interface RunCliOptions {
  /** The whole environment of the command (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** What runs the CLI, e.g. a wrapper script; default: this Node. */
  command?: string[];
}

export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliRun> {
  const [command, ...prefix] = options.command ?? [process.execPath];
  return new Promise((resolve) => {
    const child = spawn(command!, [...prefix, CLI_BIN, ...args], {
      env: options.env ?? process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end();
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** This process's environment without the vendor credentials a developer's shell may hold. */
export function envWithoutVendorCredentials(): NodeJS.ProcessEnv {
  const { KAIROS_APP_ID: _a, KAIROS_APP_KEY: _b, BIOMETRIC_KZ_API_KEY: _c, ...env } = process.env;
  return env;
}
