/**
 * "Save diagnostics" (the staff console) and `kiosk-verify diagnostics --out FILE`: one
 * .tar.gz for a support ticket with what IT needs to see why a kiosk misbehaves, and nothing a
 * customer or the bank would not want to leave the branch:
 *
 *   versions.json   the app, Electron, Chromium, Node, sharp and libvips, the OS
 *   settings.json   the settings in force, which the policy locks, and any problem with them
 *                   (settings hold no secrets: credentials live in the keychain)
 *   keychain.json   which entries are set / not set (never a value), or why it cannot be asked
 *   queue.json      totals by state and each job's ticket, state, attempts and error code
 *                   (no images, no results, no staff reference)
 *   audit.json      whether the audit trail's chain verifies
 *   logs/           the event log and its rotated files (the log keeps out images and secrets)
 *
 * Built in a private temporary folder and packed with `tar` (gzip); the folder is removed.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, join } from 'node:path';
import { create } from 'tar';

export interface DiagnosticsJob {
  ticket: string;
  api: string;
  state: string;
  attempts: number;
  training: boolean;
  createdAt: string;
  lastErrorCode: string | null;
}

export interface DiagnosticsInput {
  app: { version: string; training: boolean | null };
  /** process.versions plus what the caller adds (sharp, libvips, electron, chrome). */
  versions: Record<string, string | undefined>;
  settings:
    | {
        values: unknown;
        locked: readonly string[];
        problem: string | null;
        policyProblem: string | null;
      }
    | { error: string };
  keychain: Record<string, string> | { error: string };
  queue: { totals: Record<string, number>; jobs: DiagnosticsJob[] } | { error: string };
  audit: unknown;
  /** The event log's files, newest first. */
  logFiles: readonly string[];
  now?: Date;
}

export interface Diagnostics {
  fileName: string;
  bytes: Buffer;
  files: string[];
}

export async function buildDiagnostics(input: DiagnosticsInput): Promise<Diagnostics> {
  const now = input.now ?? new Date();
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const root = `kiosk-verify-diagnostics-${stamp}`;
  const staging = mkdtempSync(join(os.tmpdir(), 'kv-diagnostics-'));
  try {
    const dir = join(staging, root);
    mkdirSync(join(dir, 'logs'), { recursive: true, mode: 0o700 });
    const write = (name: string, value: unknown): void =>
      writeFileSync(join(dir, name), `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    write('versions.json', {
      app: input.app,
      versions: input.versions,
      os: {
        platform: process.platform,
        type: os.type(),
        release: os.release(),
        arch: process.arch,
        cpus: os.cpus().length,
        memoryMB: Math.round(os.totalmem() / 1024 / 1024),
      },
      createdAt: now.toISOString(),
    });
    write('settings.json', input.settings);
    write('keychain.json', input.keychain);
    write('queue.json', input.queue);
    write('audit.json', input.audit);
    const files = ['versions.json', 'settings.json', 'keychain.json', 'queue.json', 'audit.json'];
    for (const log of input.logFiles) {
      try {
        copyFileSync(log, join(dir, 'logs', basename(log)));
        files.push(`logs/${basename(log)}`);
      } catch {
        // A rotated file removed meanwhile: leave it out.
      }
    }
    const chunks: Buffer[] = [];
    const stream = create({ gzip: true, cwd: staging, portable: true }, [root]);
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    return { fileName: `${root}.tar.gz`, bytes: Buffer.concat(chunks), files };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
