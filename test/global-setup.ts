/**
 * Builds the main-process bundles once before any suite runs: the CLI tests start the built
 * `kiosk-verify` (and its face worker) in child processes. Building in each suite raced with
 * another suite's child processes reading dist/ while it was rewritten.
 *
 * The test command (scripts/test.sh) has already built everything just before, and says so
 * with KIOSK_VERIFY_BUILT=1: then nothing is built twice. A plain `npx vitest run` builds here.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function setup(): void {
  if (process.env.KIOSK_VERIFY_BUILT === '1') return;
  const root = fileURLToPath(new URL('../', import.meta.url));
  execFileSync(process.execPath, ['scripts/build.mjs', '--no-renderer'], {
    cwd: root,
    stdio: 'inherit',
  });
}
