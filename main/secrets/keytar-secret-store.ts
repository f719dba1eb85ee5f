/**
 * The OS keychain through keytar: macOS Keychain, Windows Credential Manager, and on Linux the
 * Secret Service (gnome-keyring) over D-Bus via libsecret.
 */
import type * as KeytarModule from 'keytar';
import { keychainUnavailableMessage } from './keychain-help.js';
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
}

export class KeytarSecretStore implements SecretStore {
  readonly #service: string;
  readonly #timeoutMs: number;
  readonly #platform: NodeJS.Platform;
  #keytar: Promise<Keytar> | undefined;

  constructor(options: KeytarSecretStoreOptions = {}) {
    this.#service = options.service ?? KEYCHAIN_SERVICE;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#platform = options.platform ?? process.platform;
  }

  get(key: SecretKey): Promise<string | null> {
    return this.#call((k) => k.getPassword(this.#service, key));
  }

  async set(key: SecretKey, value: string): Promise<void> {
    assertStorableSecret(key, value);
    await this.#call((k) => k.setPassword(this.#service, key, value));
  }

  delete(key: SecretKey): Promise<boolean> {
    return this.#call((k) => k.deletePassword(this.#service, key));
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
