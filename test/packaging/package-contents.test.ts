/**
 * The installers' contents, proven where Electron cannot be downloaded: electron-builder packages
 * the built app (`--linux dir`, electron-builder.yml as it is) around a stub Electron binary with
 * npmRebuild off, and the test opens what it made: app.asar, app.asar.unpacked, the fuses it
 * flipped in the binary and the configuration it resolved.
 *
 * Needs the bundles of `node scripts/build.mjs` (renderer included) in dist/; `npm test` builds
 * them first. Linux only: a stub for macOS would have to be a whole Electron.app bundle, and on
 * Windows electron-builder edits the .exe's resources with rcedit, which a stub cannot survive.
 * The real macOS and Windows packages come from .github/workflows/release.yml.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { isBuiltin } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as asar from '@electron/asar';
import { Arch, Platform, build, type AfterPackContext, type Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ELECTRON_DEFAULT_FUSES,
  readFuses,
  writeStubElectronDist,
  type FuseName,
} from './stub-electron.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

/** What the issue asks of the fuses (electron-builder's `electronFuses` names). */
const WANTED_FUSES: Partial<Record<FuseName, boolean>> = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
  enableCookieEncryption: true,
};

/** The bundles scripts/build.mjs makes that the app runs (web.js, the harness, is left out). */
const BUNDLES = [
  'dist/main/electron.js',
  'dist/main/capture-worker.js',
  'dist/main/cli.js',
  'dist/preload/index.cjs',
  'dist/renderer/index.html',
];

const FACE_MODELS = ['blazeface', 'facemesh', 'iris'].flatMap((name) => [
  `node_modules/@vladmandic/human/models/${name}.json`,
  `node_modules/@vladmandic/human/models/${name}.bin`,
]);

const hostArch = process.arch === 'arm64' ? Arch.arm64 : Arch.x64;

let work: string;
let appOutDir: string;
let asarFile: string;
let files: string[];
let resolvedConfig: Configuration;

/** A path inside the asar, as listPackage gives it, in POSIX form without the leading slash. */
function entry(file: string): string {
  return file.split(sep).join('/').replace(/^\//, '');
}

function isUnpacked(file: string): boolean {
  const stat = asar.statFile(asarFile, file) as { unpacked?: boolean };
  return stat.unpacked === true && existsSync(join(`${asarFile}.unpacked`, file));
}

describe.skipIf(process.platform !== 'linux')(
  'the packaged app (electron-builder, stub Electron)',
  () => {
    beforeAll(async () => {
      const missing = BUNDLES.filter((file) => !existsSync(join(root, file)));
      if (missing.length > 0) {
        throw new Error(
          `${missing.join(', ')} missing: run \`node scripts/build.mjs\` (with the renderer) first`,
        );
      }
      work = mkdtempSync(join(tmpdir(), 'kiosk-package-'));
      const electronDist = join(work, 'electron-dist');
      const output = join(work, 'release');
      mkdirSync(electronDist);
      writeStubElectronDist(electronDist);

      await build({
        projectDir: root,
        targets: Platform.LINUX.createTarget('dir', hostArch),
        // Merged over electron-builder.yml, as `-c.npmRebuild=false -c.electronDist=...` would be.
        config: {
          // No Electron headers to rebuild against here; the natives stay as npm installed them.
          npmRebuild: false,
          electronDist,
          directories: { output },
          // builder-effective-config.yaml is written only on a terminal outside CI, so the
          // configuration electron-builder resolved is taken from the packager itself.
          afterPack: (context: AfterPackContext) => {
            resolvedConfig = context.packager.config;
            appOutDir = context.appOutDir;
            return Promise.resolve();
          },
        },
        publish: 'never',
      });
      asarFile = join(appOutDir, 'resources', 'app.asar');
      files = asar.listPackage(asarFile, { isPack: false }).map(entry);
    }, 300_000);

    afterAll(() => {
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('carries the bundles and the package.json, without the browser harness', () => {
      for (const bundle of BUNDLES) expect(files, bundle).toContain(bundle);
      expect(files).toContain('package.json');
      expect(files).not.toContain('dist/main/web.js');
      expect(files.filter((file) => file.startsWith('dist/renderer/assets/'))).not.toHaveLength(0);
    });

    it('carries no sources, tests, benchmarks or source maps', () => {
      const sources = files.filter((file) => /\.(ts|tsx|mts|cts)$/.test(file));
      const maps = files.filter((file) => file.endsWith('.map'));
      const tests = files.filter(
        (file) =>
          /(^|\/)(tests?|__tests__|bench|benchmarks?)(\/|$)/.test(file) ||
          /\.(test|spec|bench)\.[cm]?[jt]sx?$/.test(file),
      );
      const ours = files.filter((file) =>
        /^(main|model|preload|renderer|test|scripts|docs|build|\.github)\//.test(file),
      );
      expect({ sources, maps, tests, ours }).toEqual({
        sources: [],
        maps: [],
        tests: [],
        ours: [],
      });
    });

    it('has a package.json without dev dependencies, pointing at the Electron bundle', () => {
      const manifest = JSON.parse(asar.extractFile(asarFile, 'package.json').toString('utf8')) as {
        main?: string;
        devDependencies?: unknown;
        dependencies?: Record<string, string>;
      };
      expect(manifest.devDependencies).toBeUndefined();
      expect(manifest.main).toBe('dist/main/electron.js');
      const devDependencies = Object.keys(
        (
          JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
            devDependencies: Record<string, string>;
          }
        ).devDependencies,
      );
      // A dev dependency's own folder (electron, vitest, electron-builder, ...) is not shipped.
      const shipped = devDependencies.filter((name) =>
        files.includes(`node_modules/${name}/package.json`),
      );
      expect(shipped).toEqual([]);
    });

    it("unpacks sharp's binary and libvips, keytar and better-sqlite3 from the asar", () => {
      const platform = `${process.platform}-${process.arch}`;
      const sharpBinary = files.find(
        (file) => file.startsWith(`node_modules/@img/sharp-${platform}/`) && file.endsWith('.node'),
      );
      const libvips = files.find(
        (file) =>
          file.startsWith(`node_modules/@img/sharp-libvips-${platform}/`) &&
          /\/libvips[^/]*\.so[.\d]*$/.test(file),
      );
      const natives = [
        sharpBinary ?? `@img/sharp-${platform}/*.node`,
        libvips ?? `@img/sharp-libvips-${platform}/libvips*.so`,
        'node_modules/keytar/build/Release/keytar.node',
        'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      ];
      expect(natives.filter((file) => !files.includes(file) || !isUnpacked(file))).toEqual([]);
      // sharp's JavaScript sits beside its binaries on disk, as sharp's docs ask for asar apps.
      expect(isUnpacked('node_modules/sharp/package.json')).toBe(true);
    });

    it('unpacks the face models and the tfjs WASM binaries, and ships no other model', () => {
      expect(FACE_MODELS.filter((file) => !files.includes(file) || !isUnpacked(file))).toEqual([]);
      const models = files.filter((file) =>
        file.startsWith('node_modules/@vladmandic/human/models/'),
      );
      expect(models.sort()).toEqual([...FACE_MODELS].sort());
      const wasm = files.filter((file) => file.endsWith('.wasm'));
      expect(wasm).not.toHaveLength(0);
      expect(wasm.filter((file) => !isUnpacked(file))).toEqual([]);
    });

    it('resolves every module the bundles load from inside the package, and each native works', async () => {
      // app.asar and app.asar.unpacked as one folder, the way Electron's fs shows them to the app.
      const extracted = join(work, 'extracted');
      asar.extractAll(asarFile, extracted);
      copyFileSync(
        join(root, 'test', 'packaging', 'packaged-modules-probe.mjs'),
        join(extracted, 'dist', 'main', 'packaging-probe.mjs'),
      );
      const { imports, requires } = modulesLoadedByBundles(extracted);
      // Guards the scan itself: these are loaded today, so an empty scan is a broken scan.
      expect(imports).toEqual(expect.arrayContaining(['sharp', 'better-sqlite3', 'keytar', 'zod']));
      expect(requires).toEqual(
        expect.arrayContaining(['@tensorflow/tfjs-core', '@vladmandic/human']),
      );

      const { stdout } = await run(
        process.execPath,
        [
          join(extracted, 'dist', 'main', 'packaging-probe.mjs'),
          JSON.stringify({ imports, requires }),
        ],
        { cwd: extracted, timeout: 120_000 },
      );
      const probe = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
        resolved: Record<string, string>;
        image: { format: string; width: number; height: number };
        vips: string;
        sqlite: string;
        keytar: string;
        missingModels: string[];
        tfjsBackend: string;
      };
      const outside = Object.entries(probe.resolved).filter(
        ([, file]) => relative(extracted, file).startsWith('..') || !statSync(file).isFile(),
      );
      expect(outside).toEqual([]);
      expect(Object.keys(probe.resolved)).toContain(
        `@img/sharp-${process.platform}-${process.arch}/sharp.node`,
      );
      expect(probe.image).toEqual({ format: 'jpeg', width: 16, height: 8 });
      expect(probe.vips).toMatch(/^\d+\.\d+/);
      expect(probe.sqlite).toMatch(/^3\./);
      expect(probe.keytar).toBe('function');
      expect(probe.missingModels).toEqual([]);
      expect(probe.tfjsBackend).toBe('wasm');
    });

    it('resolves the fuses, the installers and the macOS entitlements from electron-builder.yml', () => {
      expect(resolvedConfig.electronFuses).toEqual(WANTED_FUSES);
      expect(resolvedConfig.asar).not.toBe(false);
      expect(readFileSync(join(root, 'electron-builder.yml'), 'utf8')).toMatch(
        /^npmRebuild: true$/m,
      );

      const targets = (platform: { target?: unknown } | null | undefined): unknown =>
        platform?.target;
      expect(targets(resolvedConfig.win)).toEqual([{ target: 'nsis', arch: ['x64', 'arm64'] }]);
      expect(resolvedConfig.nsis).toMatchObject({ oneClick: false, perMachine: true });
      expect(targets(resolvedConfig.mac)).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
      expect(targets(resolvedConfig.linux)).toEqual(['AppImage', 'deb']);

      const mac = resolvedConfig.mac ?? {};
      expect(mac.hardenedRuntime).toBe(true);
      expect(mac.extendInfo).toMatchObject({
        NSCameraUsageDescription: expect.stringMatching(/camera/),
      });
      const entitlements = readFileSync(join(root, mac.entitlements ?? 'missing'), 'utf8');
      const granted = [...entitlements.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map(
        (m) => m[1],
      );
      expect(granted.sort()).toEqual([
        'com.apple.security.cs.allow-jit',
        'com.apple.security.device.camera',
      ]);
      expect(mac.entitlementsInherit).toBe(mac.entitlements);
    });

    it('flips the fuses in the Electron binary it packages', () => {
      const fuses = readFuses(join(appOutDir, 'kiosk-verify'));
      expect(fuses).toEqual({ ...ELECTRON_DEFAULT_FUSES, ...WANTED_FUSES });
    });
  },
);

/**
 * The packages the packaged bundles load (import, import(), require, require.resolve), read from
 * the bundles themselves: esbuild leaves every dependency external in main, so each is a plain
 * string literal there. Node built-ins and electron (the runtime's own) are left out.
 */
function modulesLoadedByBundles(dir: string): { imports: string[]; requires: string[] } {
  const imports = new Set<string>();
  const requires = new Set<string>();
  const packageName = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w./-]+)?$/;
  for (const bundle of [
    'dist/main/electron.js',
    'dist/main/capture-worker.js',
    'dist/main/cli.js',
  ]) {
    const code = readFileSync(join(dir, bundle), 'utf8');
    const found = [
      ...[...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)(["'])([^"'\n]+)\1/gm)].map(
        (m) => ['import', m[2]] as const,
      ),
      ...[...code.matchAll(/\brequire\w*(?:\.resolve)?\(\s*(["'])([^"'\n]+)\1\s*\)/g)].map(
        (m) => ['require', m[2]] as const,
      ),
    ];
    for (const [kind, specifier] of found) {
      if (!specifier || !packageName.test(specifier)) continue;
      if (isBuiltin(specifier) || specifier === 'electron') continue;
      (kind === 'import' ? imports : requires).add(specifier);
    }
  }
  return { imports: [...imports].sort(), requires: [...requires].sort() };
}
