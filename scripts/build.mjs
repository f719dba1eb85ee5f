// Bundles the main-process code with esbuild: the CLI now, the Electron shell and the capture
// worker as they arrive. Dependencies stay external (native modules load from node_modules).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
rmSync(`${root}dist/main`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { cli: 'main/cli/main.ts' },
  outdir: 'dist/main',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
