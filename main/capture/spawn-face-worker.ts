/**
 * Where the face worker's code is and how to start it, from TypeScript sources (vitest, tsx)
 * or from the esbuild bundle.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The bundle's name for face-worker.ts, emitted next to the bundle that imports this file. */
export const BUNDLED_WORKER_FILE = 'capture-worker.js';

/**
 * Run from sources, this module is a .ts file next to face-worker.ts. Bundled, it is inside
 * dist/main/<entry>.js and the worker was emitted beside it as capture-worker.js.
 */
export function defaultFaceWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('./face-worker.ts', import.meta.url)
    : new URL(`./${BUNDLED_WORKER_FILE}`, import.meta.url);
}

export function spawnFaceWorker(url: URL): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  // A worker does not inherit the parent's TypeScript loader, and Node 20 resolves a worker's
  // entry before `--import tsx` in execArgv takes effect. So a two-line bootstrap registers
  // tsx's loader in the worker first, then imports the .ts entry. Sources only: the bundle
  // never takes this path, and tsx is a dev dependency.
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(path.join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}
