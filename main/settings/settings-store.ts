/**
 * The kiosk's settings file (settings.json in the data folder): read and validated with zod
 * (model/kiosk-settings.ts) at start and after every change. A file that does not parse is
 * never a crash and never silent: the defaults are used, `problem` says what was wrong (for the
 * staff console's alert) and the caller logs it. Writes are atomic (a temporary file renamed
 * over the old one) and private to the user.
 *
 * The bank's managed policy (managed-policy.ts) is laid over the file: a managed key wins, is
 * listed in `locked`, and `update` refuses to change it (SettingsLockedError).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  DEFAULT_KIOSK_SETTINGS,
  KioskSettingsSchema,
  type KioskSettings,
} from '../../model/kiosk-settings.js';
import {
  deepMerge,
  NO_POLICY,
  readManagedPolicy,
  settingPaths,
  type ManagedPolicy,
} from './managed-policy.js';

export interface SettingsStoreOptions {
  /**
   * The managed policy file (defaultPolicyFile() in the kiosk); null or absent: no policy.
   * A missing file is no policy.
   */
  policyFile?: string | null;
}

/** A change to a setting the bank's policy manages: refused, nothing changed. */
export class SettingsLockedError extends Error {
  readonly code = 'setting-locked';
  readonly retryable = false;
  constructor(readonly keys: string[]) {
    super(
      `${keys.join(', ')} ${keys.length === 1 ? 'is' : 'are'} set by the bank's policy and cannot be changed on this kiosk. Ask IT to change the policy.`,
    );
    this.name = 'SettingsLockedError';
  }
}

type Json = Record<string, unknown>;

function valueAt(values: Json, at: string): unknown {
  return at
    .split('.')
    .reduce<unknown>(
      (inner, key) =>
        typeof inner === 'object' && inner !== null ? (inner as Json)[key] : undefined,
      values,
    );
}

/** Why `values` do not make valid settings, in a few words; null when they do. */
function invalidBecause(values: unknown): string | null {
  const parsed = KioskSettingsSchema.safeParse(values);
  if (parsed.success) return null;
  return parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`)
    .join('; ');
}

export type SettingsListener = (settings: KioskSettings) => void;

export class SettingsStore {
  readonly file: string;
  /** settings.json's own values (what update() writes). */
  #local: KioskSettings;
  /** The settings in force: the file's, with the policy's laid over. */
  #current: KioskSettings;
  #policy: ManagedPolicy = NO_POLICY;
  /** Why the file could not be used (the defaults are in force), or null. */
  #problem: string | null = null;
  readonly #listeners = new Set<SettingsListener>();

  constructor(file: string, options: SettingsStoreOptions = {}) {
    this.file = file;
    this.#local = this.#read();
    const local = this.#local as unknown as Json;
    this.#policy = readManagedPolicy(options.policyFile ?? null, (values) =>
      invalidBecause(deepMerge(local, values)),
    );
    this.#current = this.#effective(this.#local);
  }

  /** The settings in force (the policy's values win). */
  current(): KioskSettings {
    return this.#current;
  }

  get problem(): string | null {
    return this.#problem;
  }

  /** Why the bank's policy, or part of it, is not applied; null when it all is (or none). */
  get policyProblem(): string | null {
    return this.#policy.problem;
  }

  /** The settings the bank's policy manages, as paths (idle.resultSeconds): locked here. */
  get locked(): readonly string[] {
    return this.#policy.locked;
  }

  /**
   * Validates the merged settings, writes them, and tells every listener. Throws on bad input,
   * and SettingsLockedError when the patch would change a setting the policy manages (a
   * managed key given its managed value is fine: the console may send the whole form back).
   */
  update(patch: Partial<KioskSettings>): KioskSettings {
    const changedLocked = settingPaths(patch as Json).filter(
      (at) =>
        this.#policy.locked.includes(at) &&
        JSON.stringify(valueAt(patch as Json, at)) !==
          JSON.stringify(valueAt(this.#current as unknown as Json, at)),
    );
    if (changedLocked.length > 0) throw new SettingsLockedError(changedLocked);
    const nextLocal = KioskSettingsSchema.parse({ ...this.#local, ...patch });
    const next = this.#effective(nextLocal);
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(nextLocal, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
    this.#local = nextLocal;
    this.#current = next;
    this.#problem = null;
    for (const listener of this.#listeners) listener(next);
    return next;
  }

  #effective(local: KioskSettings): KioskSettings {
    if (this.#policy.locked.length === 0) return local;
    return KioskSettingsSchema.parse(deepMerge(local as unknown as Json, this.#policy.values));
  }

  /** Called after every change; returns the unsubscribe function. */
  onChange(listener: SettingsListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #read(): KioskSettings {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_KIOSK_SETTINGS;
      this.#problem = `${this.file} cannot be read (${(error as Error).message}); using the defaults.`;
      return DEFAULT_KIOSK_SETTINGS;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.#problem = `${this.file} is not valid JSON; using the defaults.`;
      return DEFAULT_KIOSK_SETTINGS;
    }
    const parsed = KioskSettingsSchema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`)
        .join('; ');
      this.#problem = `${this.file} has settings this kiosk cannot use (${where}); using the defaults.`;
      return DEFAULT_KIOSK_SETTINGS;
    }
    return parsed.data;
  }
}
