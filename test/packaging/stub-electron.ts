/**
 * A stand-in for the Electron binary, for packaging the app where Electron cannot be downloaded.
 *
 * electron-builder takes an unpacked Electron from `electronDist` (a folder without
 * electron-v*.zip in it is copied as it is; see unpack() in app-builder-lib's
 * electron/ElectronFramework.js). On Linux all it needs from it is the `electron` executable,
 * which it renames to the app's executable name and then hands to @electron/fuses. So the stub is
 * one small script that carries a fuse wire like the real binary's: @electron/fuses finds the
 * wire by its sentinel and flips the bytes after it, exactly as in a real Electron, and the test
 * reads the flipped wire back.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Marks the fuse wire in Electron's binary (SENTINEL in @electron/fuses' constants). */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** The wire's format version after the sentinel (FuseVersion.V1). */
const WIRE_VERSION = 1;
/** One byte per fuse: ASCII '0' off, '1' on ('r' for a fuse Electron removed). */
const OFF = 0x30;
const ON = 0x31;

/**
 * The V1 fuses in wire order (FuseV1Options in @electron/fuses' config), named as
 * electron-builder's `electronFuses` option names them (FuseOptionsV1 in app-builder-lib).
 */
export const FUSES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;

export type FuseName = (typeof FUSES)[number];

/** How Electron ships: each fuse as it is before anything is flipped. */
export const ELECTRON_DEFAULT_FUSES: Record<FuseName, boolean> = {
  runAsNode: true,
  enableCookieEncryption: false,
  enableNodeOptionsEnvironmentVariable: true,
  enableNodeCliInspectArguments: true,
  enableEmbeddedAsarIntegrityValidation: false,
  onlyLoadAppFromAsar: false,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: true,
};

/** Writes the stub Electron distribution into `dir` (an empty folder). */
export function writeStubElectronDist(dir: string): void {
  const wire = Buffer.from([
    WIRE_VERSION,
    FUSES.length,
    ...FUSES.map((name) => (ELECTRON_DEFAULT_FUSES[name] ? ON : OFF)),
  ]);
  const executable = join(dir, 'electron');
  writeFileSync(
    executable,
    Buffer.concat([
      Buffer.from(
        '#!/bin/sh\necho "stub Electron for the packaging test: it cannot run" >&2\nexit 1\n# ',
      ),
      Buffer.from(SENTINEL),
      wire,
      Buffer.from('\n'),
    ]),
  );
  chmodSync(executable, 0o755);
}

/** The fuses as the binary at `file` has them now. */
export function readFuses(file: string): Record<FuseName, boolean> {
  const binary = readFileSync(file);
  const at = binary.indexOf(SENTINEL);
  if (at === -1) throw new Error(`${file} has no fuse wire`);
  const wire = at + SENTINEL.length;
  if (binary[wire] !== WIRE_VERSION) throw new Error(`${file}: unknown fuse wire version`);
  const fuses = {} as Record<FuseName, boolean>;
  FUSES.forEach((name, index) => {
    fuses[name] = binary[wire + 2 + index] === ON;
  });
  return fuses;
}
