/**
 * The kiosk's settings file (settings.json in the data folder): read and validated with zod
 * (model/kiosk-settings.ts) at start and after every change. A file that does not parse is
 * never a crash and never silent: the defaults are used, `problem` says what was wrong (for the
 * staff console's alert) and the caller logs it. Writes are atomic (a temporary file renamed
 * over the old one) and private to the user.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  DEFAULT_KIOSK_SETTINGS,
  KioskSettingsSchema,
  type KioskSettings,
} from '../../model/kiosk-settings.js';

export type SettingsListener = (settings: KioskSettings) => void;

export class SettingsStore {
  readonly file: string;
  #current: KioskSettings;
  /** Why the file could not be used (the defaults are in force), or null. */
  #problem: string | null = null;
  readonly #listeners = new Set<SettingsListener>();

  constructor(file: string) {
    this.file = file;
    this.#current = this.#read();
  }

  current(): KioskSettings {
    return this.#current;
  }

  get problem(): string | null {
    return this.#problem;
  }

  /** Validates the merged settings, writes them, and tells every listener. Throws on bad input. */
  update(patch: Partial<KioskSettings>): KioskSettings {
    const next = KioskSettingsSchema.parse({ ...this.#current, ...patch });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
    this.#current = next;
    this.#problem = null;
    for (const listener of this.#listeners) listener(next);
    return next;
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
