/** The sizes frames are grabbed at, and how camera errors read: pure functions of the renderer. */
import { describe, expect, it } from 'vitest';
import { cameraProblemOf } from '../../renderer/src/camera/camera-port.js';
import { captureSize, guidanceSize } from '../../renderer/src/camera/frame-size.js';
import { errorCodeOf, isSessionProblem } from '../../renderer/src/api-errors.js';
import { KioskApiError } from '../../preload/border.js';

describe('frame sizes', () => {
  it('scales guidance frames to 320 px on the long side, keeping the aspect ratio', () => {
    expect(guidanceSize({ width: 1920, height: 1080 })).toEqual({ width: 320, height: 180 });
    expect(guidanceSize({ width: 1080, height: 1920 })).toEqual({ width: 180, height: 320 });
    expect(guidanceSize({ width: 640, height: 480 })).toEqual({ width: 320, height: 240 });
  });

  it('captures at the camera’s own size, up to the contract’s 4096 px', () => {
    expect(captureSize({ width: 1920, height: 1080 })).toEqual({ width: 1920, height: 1080 });
    expect(captureSize({ width: 5120, height: 2880 })).toEqual({ width: 4096, height: 2304 });
  });
});

describe('errors', () => {
  it('reads getUserMedia’s error names as camera problems', () => {
    const named = (name: string) => Object.assign(new Error('x'), { name });
    expect(cameraProblemOf(named('NotFoundError'))).toBe('not-found');
    expect(cameraProblemOf(named('OverconstrainedError'))).toBe('not-found');
    expect(cameraProblemOf(named('NotAllowedError'))).toBe('not-allowed');
    expect(cameraProblemOf(named('NotReadableError'))).toBe('busy');
    expect(cameraProblemOf(named('TimeoutError'))).toBe('timeout');
    expect(cameraProblemOf('nonsense')).toBe('other');
  });

  it('reads a command error’s code by its shape, as it arrives over any bridge', () => {
    const error = new KioskApiError({ code: 'invalid-state', message: 'gone', retryable: false });
    expect(errorCodeOf(error)).toBe('invalid-state');
    expect(errorCodeOf({ ...error, code: 'unavailable' })).toBe('unavailable');
    expect(errorCodeOf(new Error('plain'))).toBeNull();
    expect(errorCodeOf({ code: 'EPIPE' })).toBeNull();
    expect(isSessionProblem({ code: 'bad-input' })).toBe(true);
    expect(isSessionProblem({ code: 'internal' })).toBe(false);
  });
});
