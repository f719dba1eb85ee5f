/**
 * The OS keychain through keytar: macOS Keychain, Windows Credential Manager, and on Linux the
 * Secret Service (gnome-keyring) over D-Bus via libsecret.
 */
import type * as KeytarModule from 'keytar';
import { keychainLockedMessage, keychainUnavailableMessage } from './keychain-help.js';
import { isSecretServiceLocked } from './keychain-lock.js';
import { KEYCHAIN_SERVICE, type SecretKey } from './secret-keys.js';
import { assertStorableSecret, SecretStoreError, type SecretStore } from './secret-store.js';

/** The part of keytar this store uses (the module itself is loaded lazily, see #load). */
type Keytar = Pick<typeof KeytarModule, 'getPassword' | 'setPassword' | 'deletePassword'>;

export interface KeytarSecretStoreOptions {
  /** Entries are filed under this service; tests use their own so they never touch the app's. */
  service?: string;
  /**
   * A locked keyring may wait for a password prompt nobody at a kiosk will answer; give up after
   * this long and say so, instead of leaving a send or the UI hanging.
   */
  timeoutMs?: number;
  platform?: NodeJS.Platform;
  /**
   * Asks whether the keychain is locked: true, false, or null when it cannot tell. Default: the
   * Secret Service's answer on Linux (where a locked keyring reads as empty), null elsewhere
   * (macOS and Windows report a locked keychain as an error of the call itself).
   */
  isLocked?: () => Promise<boolean | null>;
}

export class KeytarSecretStore implements SecretStore {
  readonly #service: string;
  readonly #timeoutMs: number;
  readonly #platform: NodeJS.Platform;
  readonly #isLocked: () => Promise<boolean | null>;
  #keytar: Promise<Keytar> | undefined;

  constructor(options: KeytarSecretStoreOptions = {}) {
    this.#service = options.service ?? KEYCHAIN_SERVICE;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#platform = options.platform ?? process.platform;
    this.#isLocked =
      options.isLocked ??
      (this.#platform === 'linux' ? () => isSecretServiceLocked() : () => Promise.resolve(null));
  }

  /** The value, or null when the entry does not exist; a locked keychain is an error, not null. */
  async get(key: SecretKey): Promise<string | null> {
    const value = await this.#call((k) => k.getPassword(this.#service, key));
    if (value === null) await this.#throwIfLocked();
    return value;
  }

  async set(key: SecretKey, value: string): Promise<void> {
    assertStorableSecret(key, value);
    try {
      await this.#call((k) => k.setPassword(this.#service, key, value));
    } catch (error) {
      await this.#throwIfLocked();
      throw error;
    }
  }

  async delete(key: SecretKey): Promise<boolean> {
    const removed = await this.#call((k) => k.deletePassword(this.#service, key));
    if (!removed) await this.#throwIfLocked();
    return removed;
  }

  async has(key: SecretKey): Promise<boolean> {
    return (await this.get(key)) !== null;
  }

  /** Runs one keychain call; every way it can fail becomes a SecretStoreError with a fix. */
  async #call<T>(operation: (keytar: Keytar) => Promise<T>): Promise<T> {
    const keytar = await this.#load();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(this.#unavailable(`no answer within ${this.#timeoutMs} ms; is it locked?`));
      }, this.#timeoutMs);
    });
    try {
      return await Promise.race([operation(keytar), timeout]);
    } catch (error) {
      if (error instanceof SecretStoreError) throw error;
      throw this.#unavailable(describe(error), error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** keytar is a native module: load it on first use so a missing build is a clear error. */
  #load(): Promise<Keytar> {
    this.#keytar ??= import('keytar').then(
      (module) => (module.default ?? module) as Keytar,
      (error: unknown) => {
        this.#keytar = undefined;
        throw this.#unavailable(`the keytar native module did not load: ${describe(error)}`, error);
      },
    );
    return this.#keytar;
  }

  /** Only asked when an answer could mean "locked" (nothing found, a write refused). */
  async #throwIfLocked(): Promise<void> {
    if ((await this.#isLocked()) === true) {
      throw new SecretStoreError('keychain-locked', keychainLockedMessage(this.#platform));
    }
  }

  #unavailable(cause: string, error?: unknown): SecretStoreError {
    return new SecretStoreError(
      'keychain-unavailable',
      keychainUnavailableMessage(this.#platform, cause),
      { cause: error },
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
