/**
 * Who used the machine's CPU over a window, in cores: this process (the kiosk's main side:
 * harness, services, face worker thread), the Chromium it launched (every descendant process),
 * and everything else. On 2 cores the three compete, so a slow figure needs this to be read.
 * Linux /proc only; elsewhere null.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** Kernel clock ticks per second for /proc's times (USER_HZ, 100 on Linux everywhere). */
const TICKS_PER_SECOND = 100;

interface CpuSnapshot {
  at: number;
  /** CPU seconds. */
  self: number;
  chromium: number;
  machineBusy: number;
}

export interface CpuShare {
  seconds: number;
  /** Average cores busy over the window. */
  kiosk: number;
  chromium: number;
  others: number;
  cores: number;
}

/** pid -> [parent pid, CPU seconds (user + system)], for every process readable now. */
function processTable(): Map<number, [number, number]> {
  const table = new Map<number, [number, number]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) in parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      table.set(Number(entry), [Number(fields[1]), ticks / TICKS_PER_SECOND]);
    } catch {
      // The process ended while being read.
    }
  }
  return table;
}

function descendantsCpu(table: Map<number, [number, number]>, root: number): number {
  const children = new Map<number, number[]>();
  for (const [pid, [parent]] of table) children.set(parent, [...(children.get(parent) ?? []), pid]);
  let total = 0;
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += table.get(pid)?.[1] ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

function machineBusySeconds(): number {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const ticks = cpu!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
  const busy = ticks.slice(0, 8).reduce((a, b) => a + b, 0) - ticks[3]! - ticks[4]!;
  return busy / TICKS_PER_SECOND;
}

function snapshot(): CpuSnapshot | null {
  try {
    const usage = process.cpuUsage();
    return {
      at: performance.now(),
      self: (usage.user + usage.system) / 1e6,
      chromium: descendantsCpu(processTable(), process.pid),
      machineBusy: machineBusySeconds(),
    };
  } catch {
    return null;
  }
}

/**
 * Starts a window; the returned function ends it. Chromium processes that exit inside the window
 * take their CPU with them, so keep the browser open until the window ends.
 */
export function cpuWindow(): () => CpuShare | null {
  const start = snapshot();
  return () => {
    const end = snapshot();
    if (start === null || end === null) return null;
    const seconds = (end.at - start.at) / 1000;
    const kiosk = (end.self - start.self) / seconds;
    const chromium = Math.max(0, end.chromium - start.chromium) / seconds;
    const busy = (end.machineBusy - start.machineBusy) / seconds;
    return {
      seconds,
      kiosk,
      chromium,
      others: Math.max(0, busy - kiosk - chromium),
      cores: os.cpus().length,
    };
  };
}

export function describeCpu(share: CpuShare | null): string {
  if (share === null) return 'CPU use: not measured (no /proc)';
  return `CPU use over it, in cores of ${share.cores}: kiosk process ${share.kiosk.toFixed(2)}, Chromium ${share.chromium.toFixed(2)}, everything else ${share.others.toFixed(2)}`;
}
