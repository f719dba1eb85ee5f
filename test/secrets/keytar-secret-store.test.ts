import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../main/secrets/keytar-secret-store.js';
import { isolatedKeychainStore, requireRealKeychain } from '../helpers/keychain.js';

const run = promisify(execFile);

describe('KeytarSecretStore on the real OS keychain', () => {
  beforeAll(requireRealKeychain);

  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  function freshStore(): KeytarSecretStore {
    const { store, cleanup } = isolatedKeychainStore();
    cleanups.push(cleanup);
    return store;
  }

  it('keeps a secret across store instances until it is deleted', async () => {
    const { store, service, cleanup } = isolatedKeychainStore();
    cleanups.push(cleanup);
    await store.set('biometric-kz.apiKey', 'first-key');
    await store.set('biometric-kz.apiKey', 'second-key');

    const reopened = new KeytarSecretStore({ service });
    expect(await reopened.get('biometric-kz.apiKey')).toBe('second-key');
    expect(await reopened.has('biometric-kz.apiKey')).toBe(true);

    expect(await reopened.delete('biometric-kz.apiKey')).toBe(true);
    expect(await store.get('biometric-kz.apiKey')).toBeNull();
    expect(await store.has('biometric-kz.apiKey')).toBe(false);
    expect(await store.delete('biometric-kz.apiKey')).toBe(false);
  });

  it('keeps entries of different services apart', async () => {
    const app = freshStore();
    const other = freshStore();
    await app.set('biometric-kz.apiKey', 'app-value');
    expect(await other.get('biometric-kz.apiKey')).toBeNull();
  });

  it('refuses to store an empty secret', async () => {
    const store = freshStore();
    await expect(store.set('biometric-kz.apiKey', '  ')).rejects.toMatchObject({
      code: 'invalid-secret',
    });
    expect(await store.has('biometric-kz.apiKey')).toBe(false);
  });
});

describe('KeytarSecretStore without a keychain', () => {
  let home: string | undefined;
  afterEach(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  // Linux only by nature: there the keychain is a Secret Service reached over a D-Bus session,
  // which an environment can take away (and the message names gnome-keyring and libsecret). The
  // macOS Keychain and Windows Credential Manager belong to the OS account, not to a session an
  // environment variable points at: the child would store the secret in the real keychain.
  it.runIf(process.platform === 'linux')(
    'fails with what to install, and writes the secret nowhere',
    async () => {
      home = await mkdtemp(join(tmpdir(), 'kiosk-no-keychain-'));
      const secret = 'do-not-leak-4f1c9e';
      const child = join(import.meta.dirname, 'fixtures', 'write-secret-without-keychain.ts');
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: home,
        XDG_DATA_HOME: join(home, 'data'),
        XDG_CONFIG_HOME: join(home, 'config'),
        XDG_RUNTIME_DIR: join(home, 'runtime'),
        // A bus address that leads nowhere: what a kiosk without a desktop session looks like.
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-bus')}`,
      };
      const { stdout } = await run(process.execPath, ['--import', 'tsx', child, secret], {
        env,
        cwd: process.cwd(),
        timeout: 20_000,
      });

      const outcome = JSON.parse(stdout.trim()) as {
        stored: boolean;
        error?: { code: string; message: string; retryable: boolean };
      };
      expect(outcome.stored).toBe(false);
      expect(outcome.error?.code).toBe('keychain-unavailable');
      expect(outcome.error?.message).toMatch(/gnome-keyring/);
      expect(outcome.error?.message).toMatch(/libsecret/);
      expect(outcome.error?.message).toMatch(/D-Bus session/);
      expect(outcome.error?.message).toMatch(/never in plain text/);
      expect(stdout).not.toContain(secret);
      // No plain-text fallback: nothing was written under the home folder.
      expect(await readdir(home)).toEqual([]);
    },
  );
});
