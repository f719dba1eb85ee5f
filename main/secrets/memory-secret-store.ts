/** The in-memory twin of the keychain, for unit tests of the parts that read secrets. */
import type { SecretKey } from './secret-keys.js';
import { assertStorableSecret, type SecretStore } from './secret-store.js';

export class MemorySecretStore implements SecretStore {
  readonly #values = new Map<SecretKey, string>();

  constructor(initial: Partial<Record<SecretKey, string>> = {}) {
    for (const [key, value] of Object.entries(initial) as [SecretKey, string][]) {
      this.#values.set(key, value);
    }
  }

  async get(key: SecretKey): Promise<string | null> {
    return this.#values.get(key) ?? null;
  }

  async set(key: SecretKey, value: string): Promise<void> {
    assertStorableSecret(key, value);
    this.#values.set(key, value);
  }

  async delete(key: SecretKey): Promise<boolean> {
    return this.#values.delete(key);
  }

  async has(key: SecretKey): Promise<boolean> {
    return this.#values.has(key);
  }
}
