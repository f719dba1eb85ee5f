/** Starting queue-child.ts processes for the crash and two-drainer tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const CHILD = join(import.meta.dirname, 'fixtures', 'queue-child.ts');

export function startQueueChild(args: string[], dataKey: Buffer): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    env: { ...process.env, KIOSK_TEST_DATA_KEY: dataKey.toString('base64') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** Collects complete stdout lines; a line cut by a kill is not counted. */
export function lines(child: ChildProcess): {
  all: string[];
  waitFor: (line: string) => Promise<void>;
} {
  const all: string[] = [];
  let partial = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      all.push(line);
      for (const waiter of waiters.filter((w) => w.line === line)) waiter.resolve();
    }
  });
  return {
    all,
    waitFor: (line) =>
      all.includes(line)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ line, resolve })),
  };
}
