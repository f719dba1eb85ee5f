/**
 * The emulator as support starts it: `kiosk-verify emulator --port 0` from the built CLI in
 * its own process. It prints one JSON line with its address, its controls' token and the
 * training credentials.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface EmulatorProcess {
  url: string;
  /** For the /__emulator/ controls: send it as the x-emulator-token header. */
  controlToken: string;
  /** The emulator process's id (its memory is in /proc/<pid>/status on Linux). */
  pid: number;
  /** KAIROS_APP_ID, KAIROS_APP_KEY, BIOMETRIC_KZ_API_KEY: the training credentials. */
  env: Record<string, string>;
  stop(): void;
}

const bin = fileURLToPath(new URL('../../bin/kiosk-verify.js', import.meta.url));

export async function startEmulatorProcess(): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [bin, 'emulator', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
  const info = JSON.parse(first) as {
    url: string;
    controlToken: string;
    env: Record<string, string>;
  };
  return { ...info, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}
