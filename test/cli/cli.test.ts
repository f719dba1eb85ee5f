/**
 * The support command line as branch IT runs it: the built `kiosk-verify` in a child process,
 * against the emulator it starts itself, reading stdout, stderr and the exit code.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VerificationResultSchema } from '../../model/result-model.js';
import sharp from 'sharp';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process.js';
import { CLEAR_FACES, faceFile } from '../helpers/faces.js';
import { idCardFrame } from '../capture/id-card.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/kiosk-verify.js');

let emulator: EmulatorProcess;
let url: string;
let trainingEnv: Record<string, string>;
let dir: string;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  // The test's own environment (its private keychain session) without vendor credentials.
  const {
    KAIROS_APP_ID: _id,
    KAIROS_APP_KEY: _key,
    BIOMETRIC_KZ_API_KEY: _bkz,
    ...base
  } = process.env;
  const childEnv: NodeJS.ProcessEnv = { ...base, ...env };
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: childEnv });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function errorOf(result: CliRun): { code: string; message: string; retryable: boolean } {
  return (
    JSON.parse(result.stderr) as { error: { code: string; message: string; retryable: boolean } }
  ).error;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kv-cli-'));
  // A real face (cropped from face-api's demo photos at test time) and an ID card around it.
  writeFileSync(
    join(dir, 'selfie.jpg'),
    await faceFile(CLEAR_FACES[0]!, { width: 800, height: 600 }),
  );
  const card = await idCardFrame(CLEAR_FACES[0]!, { width: 960, height: 720 });
  writeFileSync(
    join(dir, 'id.jpg'),
    await sharp(card.data, {
      raw: { width: card.width, height: card.height, channels: card.channels },
    })
      .jpeg({ quality: 92 })
      .toBuffer(),
  );
  writeFileSync(
    join(dir, 'small.jpg'),
    await faceFile(CLEAR_FACES[0]!, { width: 400, height: 300 }),
  );
  writeFileSync(join(dir, 'notes.jpg'), 'this is a text file, not a photo');
  emulator = await startEmulatorProcess();
  url = emulator.url;
  trainingEnv = emulator.env;
});

afterAll(() => {
  emulator.stop();
});

describe('kiosk-verify', () => {
  it('prints a normalized liveness result from the emulator it started', async () => {
    const result = await cli(
      [
        'liveness',
        '--vendor',
        'kairos-v0.1',
        '--selfie',
        join(dir, 'selfie.jpg'),
        '--threshold',
        '0.5',
        '--base-url',
        url,
      ],
      trainingEnv,
    );
    expect(result.code).toBe(0);
    const parsed = VerificationResultSchema.parse(JSON.parse(result.stdout));
    expect(parsed.api).toBe('kairos-liveness-v0.1');
    expect(parsed.liveness.threshold).toBe(0.5);
    expect(parsed.imageSize).toEqual({ width: 800, height: 600 });
  });

  it('checks liveness with biometric.kz using its API key', async () => {
    const result = await cli(
      [
        'liveness',
        '--vendor',
        'biometric-kz',
        '--selfie',
        join(dir, 'selfie.jpg'),
        '--base-url',
        url,
      ],
      trainingEnv,
    );
    expect(result.code).toBe(0);
    const parsed = VerificationResultSchema.parse(JSON.parse(result.stdout));
    expect(parsed.vendor).toBe('biometric-kz');
    expect(parsed.liveness.threshold).toBeNull();
  });

  it('matches a selfie against an ID photo', async () => {
    const result = await cli(
      [
        'match',
        '--selfie',
        join(dir, 'selfie.jpg'),
        '--image',
        join(dir, 'id.jpg'),
        '--base-url',
        url,
      ],
      trainingEnv,
    );
    expect(result.code).toBe(0);
    const parsed = VerificationResultSchema.parse(JSON.parse(result.stdout));
    expect(parsed.kind).toBe('match');
    expect(parsed.match?.idImage.size).toEqual({ width: 960, height: 720 });
  });

  it('exits 13 with a JSON auth error when the key is wrong, without printing the key', async () => {
    const result = await cli(
      [
        'liveness',
        '--vendor',
        'kairos-v0.2',
        '--selfie',
        join(dir, 'selfie.jpg'),
        '--base-url',
        url,
      ],
      { KAIROS_APP_ID: trainingEnv.KAIROS_APP_ID!, KAIROS_APP_KEY: 'wrong-key-123456' },
    );
    expect(result.code).toBe(13);
    expect(errorOf(result)).toMatchObject({ code: 'auth', retryable: false });
    expect(result.stderr + result.stdout).not.toContain('wrong-key-123456');
  });

  it('exits 10 with a network error when the vendor cannot be reached', async () => {
    const closed = 'http://127.0.0.1:9'; // the discard port: nothing listens on it here
    const result = await cli(
      [
        'liveness',
        '--vendor',
        'kairos-v0.1',
        '--selfie',
        join(dir, 'selfie.jpg'),
        '--base-url',
        closed,
      ],
      trainingEnv,
    );
    expect(result.code).toBe(10);
    expect(errorOf(result)).toMatchObject({ code: 'network', retryable: true });
  });

  it('exits 3 before sending anything when a photo is below the vendor minimum', async () => {
    const before = (
      (await fetch(`${url}/__emulator/requests`, {
        headers: { 'x-emulator-token': emulator.controlToken },
      }).then((r) => r.json())) as { requests: unknown[] }
    ).requests;
    const result = await cli(
      [
        'match',
        '--selfie',
        join(dir, 'small.jpg'),
        '--image',
        join(dir, 'id.jpg'),
        '--base-url',
        url,
      ],
      trainingEnv,
    );
    expect(result.code).toBe(3);
    expect(errorOf(result)).toMatchObject({ code: 'below-minimum' });
    expect(errorOf(result).message).toMatch(/480/);
    const after = (
      (await fetch(`${url}/__emulator/requests`, {
        headers: { 'x-emulator-token': emulator.controlToken },
      }).then((r) => r.json())) as { requests: unknown[] }
    ).requests;
    expect(after.length).toBe(before.length);
  });

  it('prepares a photo without sending it, and writes the vendor-ready JPEG', async () => {
    const out = join(dir, 'prepared.jpg');
    const result = await cli([
      'prepare',
      join(dir, 'selfie.jpg'),
      '--vendor',
      'biometric-kz',
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      api: 'biometric-kz-liveness-short',
      role: 'selfie',
      contentType: 'image/jpeg',
    });
    expect(report.quality.verdict).toBe('ok');
    const written = await sharp(out).metadata();
    expect([written.width, written.height]).toEqual([report.width, report.height]);
    expect(written.exif).toBeUndefined();
  });

  it('exits 3 for a file that is not a photo, and 2 for a wrong command line', async () => {
    const notPhoto = await cli(
      ['liveness', '--vendor', 'kairos-v0.1', '--selfie', join(dir, 'notes.jpg')],
      trainingEnv,
    );
    expect(notPhoto.code).toBe(3);
    expect(errorOf(notPhoto).code).toBe('not-an-image');

    const badVendor = await cli([
      'liveness',
      '--vendor',
      'acme',
      '--selfie',
      join(dir, 'selfie.jpg'),
    ]);
    expect(badVendor.code).toBe(2);
    expect(errorOf(badVendor).code).toBe('usage');

    const unknownFlag = await cli(['liveness', '--colour', 'blue']);
    expect(unknownFlag.code).toBe(2);

    const badThreshold = await cli([
      'liveness',
      '--vendor',
      'kairos-v0.1',
      '--selfie',
      'x.jpg',
      '--threshold',
      '7',
    ]);
    expect(errorOf(badThreshold).message).toContain('--threshold');
  });

  it('explains every command and the exit codes with --help', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Exit codes');
    for (const command of ['liveness', 'match', 'emulator']) {
      const help = await cli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`kiosk-verify ${command}`);
    }
  });
});
