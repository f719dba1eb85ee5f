/**
 * A checkout in a folder whose path has a space in it (`C:\Users\First Last\...` on Windows):
 * the project's files are copied into `<tmp>/kiosk verify copy/` (node_modules linked, not
 * copied), built there with scripts/build.mjs, and the built CLI run from there. A file path
 * taken from `new URL(...).pathname` would be percent-encoded (`kiosk%20verify%20copy`) and
 * break the build or the run.
 */
import { execFile, execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAR_FACES, faceFile } from '../helpers/faces.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
let scratch: string;
let copy: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'kv-space-'));
  copy = join(scratch, 'kiosk verify copy');
  // What a checkout holds: the tracked files, plus new ones not yet committed (not ignored).
  const files = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: root, encoding: 'utf8' },
  )
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(root, file)));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(root, file), join(copy, file));
  }
  // A junction on Windows needs no privilege; elsewhere the type is ignored.
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'junction');
});

afterAll(() => {
  if (!scratch) return;
  // Remove the link first, so nothing can ever reach into the real node_modules.
  if (copy && existsSync(join(copy, 'node_modules'))) unlinkSync(join(copy, 'node_modules'));
  rmSync(scratch, { recursive: true, force: true });
});

describe('a checkout in a path with a space', () => {
  it('builds there, and its CLI runs from there', async () => {
    const bin = join(copy, 'bin', 'kiosk-verify.js');
    // Not built yet (dist/ is not part of a checkout, and installing does not build): one line
    // that says what to do, no stack trace.
    const unbuilt = await run(process.execPath, [bin, '--help'], { cwd: copy }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(unbuilt.code).toBe(1);
    // (The folder as Node resolved it: macOS's tmpdir is behind a symlink, Windows's may be 8.3.)
    expect(unbuilt.stderr).toMatch(
      /^kiosk-verify is not built: run npm run build in .+kiosk verify copy\n$/,
    );

    await run(process.execPath, ['scripts/build.mjs', '--no-renderer'], { cwd: copy });
    expect(existsSync(join(copy, 'dist', 'main', 'cli.js'))).toBe(true);

    const help = await run(process.execPath, [bin, '--help'], { cwd: copy });
    expect(help.stdout).toMatch(/prepare/);

    const photo = join(scratch, 'a face photo.jpg');
    writeFileSync(photo, await faceFile(CLEAR_FACES[0]!, { width: 800, height: 600 }));
    const args = [bin, 'prepare', photo, '--vendor', 'kairos-v0.2'];
    const prepared = await run(process.execPath, args, { cwd: copy });
    expect(JSON.parse(prepared.stdout)).toMatchObject({
      contentType: 'image/jpeg',
      quality: { verdict: 'ok' },
    });
  }, 180_000);
});
