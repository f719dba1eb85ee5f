/**
 * Input mistakes branch IT makes with the built `kiosk-verify`, each answered with a typed
 * error that names the value, file or address and what to do, and its own exit code (never 1,
 * which is for bugs): credentials that cannot travel, half-set credential variables, thresholds
 * that are not plain decimals, a wrong base URL, and `prepare --out` somewhere it must not write.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  linkSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../main/secrets/keytar-secret-store.js';
import { SECRET_KEYS } from '../../main/secrets/secret-keys.js';
import { TRAINING_CREDENTIALS } from '../../main/emulator/index.js';
import { answerJson, startCaptureServer, type CaptureServer } from '../helpers/capture-server.js';
import { CLEAR_FACES, faceFile } from '../helpers/faces.js';
import { requireRealKeychain } from '../helpers/keychain.js';
import { KAIROS_LIVENESS_SAMPLE } from '../helpers/vendor-samples.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/kiosk-verify.js');
const service = `kiosk-verify-input-errors-${randomUUID()}`;

const TRAINING_ENV = {
  KAIROS_APP_ID: TRAINING_CREDENTIALS.kairos.appId,
  KAIROS_APP_KEY: TRAINING_CREDENTIALS.kairos.appKey,
};

/**
 * A stand-in vendor on 127.0.0.1: the documented Kairos answer at the v0.2 path, 405 under
 * /no-post, 404 anywhere else (what a wrong base URL gets from a real web server).
 */
let vendor: CaptureServer;
let dir: string;
let selfie: string;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built CLI, with no vendor credentials but `env`, a private keychain service, `stdin`. */
function cli(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}) {
  const { KAIROS_APP_ID: _a, KAIROS_APP_KEY: _b, BIOMETRIC_KZ_API_KEY: _c, ...base } = process.env;
  return new Promise<CliRun>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...base, KIOSK_VERIFY_KEYCHAIN_SERVICE: service, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(options.stdin ?? '');
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function errorOf(result: CliRun): { code: string; message: string } {
  return (JSON.parse(result.stderr) as { error: { code: string; message: string } }).error;
}

function liveness(extra: string[]): string[] {
  return ['liveness', '--vendor', 'kairos-v0.2', '--selfie', selfie, ...extra];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kv-cli-input-'));
  selfie = join(dir, 'selfie.jpg');
  writeFileSync(selfie, await faceFile(CLEAR_FACES[0]!, { width: 800, height: 600 }));
  vendor = await startCaptureServer((request, res) => {
    if (request.path === '/v0.2/liveness-verification')
      answerJson(res, 200, KAIROS_LIVENESS_SAMPLE);
    else if (request.path.startsWith('/no-post/'))
      answerJson(res, 405, { message: 'Method Not Allowed' });
    else answerJson(res, 404, { message: 'Not Found' });
  });
});

afterAll(async () => {
  await vendor.close();
  const store = new KeytarSecretStore({ service });
  for (const key of SECRET_KEYS) await store.delete(key).catch(() => undefined);
});

describe('secrets set refuses values that cannot be sent', () => {
  beforeAll(requireRealKeychain);

  it.each([
    ['kairos', 'a non-ASCII app key', 'training-app-id\ntraining-app-ключ\n', 'Kairos app key'],
    ['kairos', 'an app ID with a space', 'training app id\ntraining-app-key\n', 'Kairos app ID'],
    ['biometric-kz', 'an accented API key', 'api-kéy-0123456789\n', 'biometric.kz API key'],
    ['biometric-kz', 'a control character', 'api-key-\u0007-0123\n', 'biometric.kz API key'],
  ])(
    'secrets set %s with %s: exit 2, says why, stores nothing',
    async (vendor, _, stdin, label) => {
      const result = await cli(['secrets', 'set', vendor], { stdin });
      expect(result.code).toBe(2);
      const error = errorOf(result);
      expect(error.code).toBe('usage');
      expect(error.message).toContain(label);
      expect(error.message).toMatch(/visible ASCII/);
      expect(error.message).toContain(`kiosk-verify secrets set ${vendor}`);
      for (const value of stdin.split('\n').filter((line) => line !== ''))
        expect(result.stdout + result.stderr).not.toContain(value.trim());
      const status = await cli(['secrets', 'status']);
      expect(JSON.parse(status.stdout).vendors).toEqual({
        kairos: 'not-set',
        'biometric-kz': 'not-set',
      });
    },
  );
});

describe('credentials from the environment', () => {
  it.each([
    [{ KAIROS_APP_ID: TRAINING_ENV.KAIROS_APP_ID }, 'KAIROS_APP_KEY is not'],
    [{ KAIROS_APP_KEY: TRAINING_ENV.KAIROS_APP_KEY }, 'KAIROS_APP_ID is not'],
  ])('only one of KAIROS_APP_ID/KAIROS_APP_KEY set (%o) is a usage error', async (env, says) => {
    const sent = vendor.received.length;
    const result = await cli(liveness(['--base-url', vendor.url]), { env });
    expect(result.code).toBe(2);
    const error = errorOf(result);
    expect(error.code).toBe('usage');
    expect(error.message).toContain(says);
    expect(error.message).toContain('KAIROS_APP_ID and KAIROS_APP_KEY');
    expect(vendor.received).toHaveLength(sent);
  });

  it('a KAIROS_APP_KEY that cannot be sent is a usage error naming the variable', async () => {
    const sent = vendor.received.length;
    const result = await cli(liveness(['--base-url', vendor.url]), {
      env: { ...TRAINING_ENV, KAIROS_APP_KEY: 'training-app-kéy' },
    });
    expect(result.code).toBe(2);
    expect(errorOf(result).message).toContain('KAIROS_APP_KEY');
    expect(result.stderr).not.toContain('training-app-kéy');
    expect(vendor.received).toHaveLength(sent);
  });
});

describe('--threshold takes plain decimals from 0 to 1 only', () => {
  it.each(['0x1', '1e0', 'Infinity', ' 0.5', '0.5 ', '0b1', '+0.5', '1.5', '-0', ''])(
    '"%s" is a usage error',
    async (threshold) => {
      const result = await cli(liveness(['--threshold', threshold, '--base-url', vendor.url]), {
        env: TRAINING_ENV,
      });
      expect(result.code).toBe(2);
      expect(errorOf(result).message).toContain('--threshold');
    },
  );

  it('"1", "0", ".75" and "1.0" are thresholds', async () => {
    for (const threshold of ['1', '0', '.75', '1.0']) {
      const result = await cli(liveness(['--threshold', threshold, '--base-url', vendor.url]), {
        env: TRAINING_ENV,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).liveness.threshold).toBe(Number(threshold));
    }
  }, 120_000);
});

describe('a wrong base URL', () => {
  it('a 404 says the address is wrong (exit 16), not that the keys are', async () => {
    const result = await cli(liveness(['--base-url', `${vendor.url}/typo`]), {
      env: TRAINING_ENV,
    });
    expect(result.code).toBe(16);
    const error = errorOf(result);
    expect(error.code).toBe('bad-response');
    expect(error.message).toContain('404 Not Found');
    expect(error.message).toContain(`${vendor.url}/typo/v0.2/liveness-verification`);
    expect(error.message).toMatch(/base URL is probably wrong/);
    expect(error.message).not.toMatch(/credentials|keychain/);
  });

  it('so does a 405', async () => {
    const result = await cli(liveness(['--base-url', `${vendor.url}/no-post`]), {
      env: TRAINING_ENV,
    });
    expect(result.code).toBe(16);
    expect(errorOf(result).message).toContain('405 Method Not Allowed');
    expect(errorOf(result).message).toMatch(/base URL is probably wrong/);
  });
});

describe('prepare --out', () => {
  const prepare = (out: string, input = selfie) =>
    cli(['prepare', input, '--vendor', 'kairos-v0.2', '--out', out]);

  // Windows has no POSIX permission bits (stat reports 0o666): the file is private there by
  // its folder's ACL, so the mode checks are for macOS and Linux.
  const posixModes = process.platform !== 'win32';

  it('writes the prepared face, readable only by its owner (0600) where modes exist', async () => {
    const out = join(dir, 'prepared.jpg');
    const result = await prepare(out);
    expect(result.code, result.stderr).toBe(0);
    if (posixModes) expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it.runIf(posixModes)('makes an existing file 0600 too when it replaces it', async () => {
    const out = join(dir, 'existing.jpg');
    writeFileSync(out, 'old');
    chmodSync(out, 0o644);
    const result = await prepare(out);
    expect(result.code, result.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('into a missing folder: exit 22 naming the folder, not "internal"', async () => {
    const missing = join(dir, 'no-such-folder');
    const result = await prepare(join(missing, 'out.jpg'));
    expect(result.code, result.stderr).toBe(22);
    const error = errorOf(result);
    expect(error.code).toBe('output');
    expect(error.message).toContain(missing);
    expect(error.message).toMatch(/does not exist/);
  });

  it('refuses to overwrite its own input, by name, hard link or symlinked input', async () => {
    const input = join(dir, 'input.jpg');
    writeFileSync(input, readFileSync(selfie));
    const before = readFileSync(input);
    const hardLink = join(dir, 'input-link.jpg');
    linkSync(input, hardLink);
    const symlinkedInput = join(dir, 'input-symlink.jpg');
    symlinkSync(input, symlinkedInput);
    for (const [out, from] of [
      [input, input],
      [join(dir, '.', 'input.jpg'), input],
      [hardLink, input],
      [input, symlinkedInput],
    ] as const) {
      const result = await prepare(out, from);
      expect(result.code, `${from} -> ${out}`).toBe(22);
      expect(errorOf(result).code).toBe('output');
      expect(errorOf(result).message).toMatch(/input/);
    }
    expect(readFileSync(input).equals(before)).toBe(true);
  }, 120_000);

  it('does not follow a symlink at the destination', async () => {
    const target = join(dir, 'precious.txt');
    writeFileSync(target, 'do not overwrite');
    const link = join(dir, 'out-link.jpg');
    symlinkSync(target, link);
    const result = await prepare(link);
    expect(result.code, result.stderr).toBe(22);
    expect(errorOf(result).code).toBe('output');
    expect(errorOf(result).message).toContain(link);
    expect(errorOf(result).message).toMatch(/symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('do not overwrite');
  });

  it('does not follow a dangling symlink either (it would create the target)', async () => {
    const target = join(dir, 'created-by-link.jpg');
    const link = join(dir, 'dangling.jpg');
    symlinkSync(target, link);
    const result = await prepare(link);
    expect(result.code, result.stderr).toBe(22);
    expect(() => statSync(target)).toThrow();
  });
});
