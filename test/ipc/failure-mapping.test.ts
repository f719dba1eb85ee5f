/**
 * One mapping from every typed failure to what the UI and the CLI see (main/failures/): the
 * border's code and retryable flag, the exit code, and "a bug" only for what is not typed.
 */
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../main/capture/capture-error.js';
import { describeFailure } from '../../main/failures/describe-failure.js';
import { dispatchCommand } from '../../main/ipc/dispatch.js';
import type { CommandHandlers } from '../../main/ipc/kiosk-commands.js';
import { QueueError } from '../../main/queue/queue-errors.js';
import { StorageError } from '../../main/queue/store/storage-errors.js';
import { SecretStoreError } from '../../main/secrets/secret-store.js';
import { VendorError } from '../../main/vendors/vendor-error.js';

describe('describeFailure', () => {
  it.each([
    [new VendorError('network', 'No route.'), 'unavailable', true, 10],
    [new VendorError('auth', 'Refused.'), 'unavailable', false, 13],
    [new VendorError('rejected-input', 'No face.'), 'bad-input', false, 15],
    [new CaptureError('no-face', 'No face in the picture.'), 'bad-input', false, 3],
    [new CaptureError('detector-failed', 'The detector stopped.'), 'unavailable', true, 3],
    [new StorageError('full', '/data/queue.sqlite'), 'unavailable', false, 8],
    [new QueueError('not-found', 'No job.'), 'not-found', false, 4],
    [new QueueError('invalid-state', 'Ended.'), 'invalid-state', false, 4],
    [new QueueError('invalid-job', 'Bad job.'), 'bad-input', false, 3],
    [new SecretStoreError('keychain-locked', 'Locked.'), 'unavailable', true, 5],
    [new SecretStoreError('data-key-unavailable', 'Key gone.'), 'unavailable', false, 9],
  ] as const)('maps %s', (error, border, retryable, exitCode) => {
    expect(describeFailure(error)).toMatchObject({
      code: error.code,
      message: error.message,
      border,
      retryable,
      exitCode,
    });
  });

  it('calls anything untyped a bug', () => {
    expect(describeFailure(new TypeError('x is undefined'))).toBeNull();
    expect(describeFailure('a string')).toBeNull();
  });
});

describe('a failure at the border', () => {
  const throwing = (error: unknown): CommandHandlers =>
    ({
      'queue:get-status': () => {
        throw error;
      },
    }) as unknown as CommandHandlers;

  it('is typed for the UI and not logged as a bug when the services raised it', async () => {
    const bugs: unknown[] = [];
    const result = await dispatchCommand(
      throwing(new CaptureError('bad-frame', 'The frame could not be read.')),
      'queue:get-status',
      undefined,
      (_channel, error) => bugs.push(error),
    );
    expect(result).toEqual({
      ok: false,
      error: { code: 'bad-input', message: 'The frame could not be read.', retryable: false },
    });
    expect(bugs).toEqual([]);
  });

  it('is "internal", with nothing of the error, and logged, when it is a bug', async () => {
    const bugs: unknown[] = [];
    const result = await dispatchCommand(
      throwing(new TypeError('secret detail')),
      'queue:get-status',
      undefined,
      (_channel, error) => bugs.push(error),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', retryable: false } });
    expect(JSON.stringify(result)).not.toContain('secret detail');
    expect(bugs).toHaveLength(1);
  });
});
