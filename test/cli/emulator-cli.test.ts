/**
 * `kiosk-verify emulator` as support runs it, from the built CLI in a child process: a taken
 * port is a typed error with its own exit code, the controls' token is printed at start, and
 * listening beyond loopback warns on stderr.
 */
import { execFile, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_PORT_IN_USE } from '../../main/failures/exit-codes.js';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process.js';

const run = promisify(execFile);
const bin = join(fileURLToPath(new URL('../../', import.meta.url)), 'bin/kiosk-verify.js');

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function occupiedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('kiosk-verify emulator', () => {
  it('exits 21 with a port-in-use error that says what to do when the port is taken', async () => {
    const port = await occupiedPort();
    const failed = await run(process.execPath, [bin, 'emulator', '--port', String(port)]).then(
      () => null,
      (error: unknown) => error as { code: number; stdout: string; stderr: string },
    );

    expect(failed).not.toBeNull();
    expect(failed!.code).toBe(EXIT_PORT_IN_USE);
    expect(failed!.code).toBe(21);
    expect(failed!.stdout).toBe('');
    const { error } = JSON.parse(failed!.stderr) as {
      error: { code: string; message: string; retryable: boolean };
    };
    expect(error).toMatchObject({ code: 'port-in-use', retryable: false });
    expect(error.message).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(error.message).toContain('--port');
    expect(error.message).not.toMatch(/EADDRINUSE|Unexpected failure/);
  });

  it('prints the controls token at start; the controls take it and refuse without it', async () => {
    const emulator: EmulatorProcess = await startEmulatorProcess();
    cleanups.push(() => emulator.stop());
    expect(emulator.controlToken).toMatch(/^[\w-]{32}$/);

    const withToken = await fetch(`${emulator.url}/__emulator/requests`, {
      headers: { 'x-emulator-token': emulator.controlToken },
    });
    const without = await fetch(`${emulator.url}/__emulator/requests`);
    expect([withToken.status, without.status]).toEqual([200, 401]);
    await Promise.all([withToken.body?.cancel(), without.body?.cancel()]);
  });

  it('warns on stderr when it listens beyond loopback', async () => {
    const child = spawn(process.execPath, [bin, 'emulator', '--port', '0', '--host', '0.0.0.0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => child.kill('SIGTERM'));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
    });

    const { url } = JSON.parse(first) as { url: string };
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    expect(stderr).toMatch(/^Warning: .*reachable from the network/);
    expect(stderr).toContain(url);
  });
});
