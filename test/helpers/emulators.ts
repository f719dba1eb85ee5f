/**
 * In-process emulators for a test file: each test starts the ones it needs with the options it
 * needs, and every one started is closed after the test. The training credentials as the
 * gateway takes them, too.
 */
import { afterEach } from 'vitest';
import {
  startEmulator,
  TRAINING_CREDENTIALS,
  type EmulatorOptions,
  type VendorEmulator,
} from '../../main/emulator/index.js';
import type { VendorCredentials } from '../../model/request.js';

export const TRAINING_KAIROS: VendorCredentials = {
  vendor: 'kairos',
  ...TRAINING_CREDENTIALS.kairos,
};
export const TRAINING_BIOMETRIC_KZ: VendorCredentials = {
  vendor: 'biometric-kz',
  ...TRAINING_CREDENTIALS.biometricKz,
};

/** Call at the top of a test file: returns `emulatorWith(options)`, closed after each test. */
export function useEmulators(): (options?: EmulatorOptions) => Promise<VendorEmulator> {
  const started: VendorEmulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((emulator) => emulator.close()));
  });
  return async (options = {}) => {
    const emulator = await startEmulator({ port: 0, ...options });
    started.push(emulator);
    return emulator;
  };
}
