/**
 * The diagnostics' parts, read from the kiosk's own objects (the console, through services.ts)
 * or from the data folder alone (the CLI: no data key needed, so a kiosk whose keychain is the
 * trouble can still be diagnosed). Each part that cannot be read says why instead.
 */
import sharp from 'sharp';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { JobStore } from '../queue/store/job-store.js';
import { readSecretStatus } from '../secrets/secret-status.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { buildDiagnostics, type Diagnostics, type DiagnosticsInput } from './diagnostics.js';

export interface DiagnosticsSources {
  app: { version: string; training: boolean | null };
  store: (() => JobStore) | null;
  settings: (() => SettingsStore) | null;
  keychain: (() => SecretStore) | null;
  audit: (() => AuditTrail) | null;
  logFiles: readonly string[];
}

/** Jobs listed in the queue part, newest first: enough for a day's trouble, a bounded file. */
const MAX_JOBS = 2000;

function because(error: unknown): { error: string } {
  return { error: error instanceof Error ? error.message : String(error) };
}

export async function gatherDiagnostics(sources: DiagnosticsSources): Promise<Diagnostics> {
  const input: DiagnosticsInput = {
    app: sources.app,
    versions: {
      ...process.versions,
      sharp: sharp.versions.sharp,
      libvips: sharp.versions.vips,
    },
    settings: { error: 'not available' },
    keychain: { error: 'not available' },
    queue: { error: 'not available' },
    audit: { error: 'not available' },
    logFiles: sources.logFiles,
  };
  try {
    if (sources.settings) {
      const settings = sources.settings();
      input.settings = {
        values: settings.current(),
        locked: settings.locked,
        problem: settings.problem,
        policyProblem: settings.policyProblem,
      };
    }
  } catch (error) {
    input.settings = because(error);
  }
  try {
    if (sources.keychain) {
      const status = await readSecretStatus(sources.keychain());
      input.keychain = { ...status.entries };
    }
  } catch (error) {
    input.keychain = because(error);
  }
  try {
    if (sources.store) {
      const store = sources.store();
      input.queue = {
        totals: store.totals(),
        jobs: store.list(MAX_JOBS).map((job) => ({
          ticket: job.ticket,
          api: job.api,
          state: job.state,
          attempts: job.attempts,
          training: job.training,
          createdAt: new Date(job.createdAt).toISOString(),
          lastErrorCode: job.lastError?.code ?? null,
        })),
      };
    }
  } catch (error) {
    input.queue = because(error);
  }
  try {
    if (sources.audit) {
      const result = sources.audit().verify();
      input.audit = result.ok
        ? { verifies: true, entries: result.entries }
        : { verifies: false, brokenAt: result.seq, problem: result.problem };
    }
  } catch (error) {
    input.audit = because(error);
  }
  return buildDiagnostics(input);
}
