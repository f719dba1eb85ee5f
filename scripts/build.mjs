// Builds the three bundles: main (the CLI, the Electron entry, and worker entries) and preload
// with esbuild, the renderer with Vite. Dependencies stay external in main: native modules
// (sharp, keytar, better-sqlite3) load from node_modules, which electron-builder packages.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as viteBuild } from 'vite';

// fileURLToPath, not URL.pathname: a space in the checkout's path stays a space (not %20), and
// Windows gets C:\... (not /C:/...).
const root = fileURLToPath(new URL('..', import.meta.url));
const skipRenderer = process.argv.includes('--no-renderer');
rmSync(join(root, 'dist', 'main'), { recursive: true, force: true });
rmSync(join(root, 'dist', 'preload'), { recursive: true, force: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
};

await Promise.all([
  build({
    ...common,
    entryPoints: {
      cli: 'main/cli/main.ts',
      electron: 'main/electron/main.ts',
      // The browser harness (npm run web); electron-builder's files list leaves it out.
      web: 'main/web/main.ts',
      // The face worker, emitted beside the bundles that start it (see spawn-face-worker.ts).
      'capture-worker': 'main/capture/face-worker.ts',
    },
    outdir: 'dist/main',
    format: 'esm',
    packages: 'external',
  }),
  // Sandboxed preloads must be CommonJS; electron is provided by the runtime.
  build({
    ...common,
    entryPoints: { index: 'preload/index.ts' },
    outdir: 'dist/preload',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    external: ['electron'],
  }),
]);

if (!skipRenderer) {
  await viteBuild({
    root: join(root, 'renderer'),
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'warn',
  });
}
