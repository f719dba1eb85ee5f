/**
 * Builds the main-process bundles once before any suite runs: the CLI tests start the built
 * `kiosk-verify` (and its face worker) in child processes. Building in each suite raced with
 * another suite's child processes reading dist/ while it was rewritten.
 */
import { execFileSync } from 'node:child_process';

export function setup(): void {
  const root = new URL('../', import.meta.url).pathname;
  execFileSync(process.execPath, ['scripts/build.mjs', '--no-renderer'], {
    cwd: root,
    stdio: 'inherit',
  });
}
