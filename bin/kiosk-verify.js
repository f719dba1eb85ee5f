#!/usr/bin/env node
// The installed command: runs the bundled CLI that `npm run build` writes (scripts/build.mjs).
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  const project = dirname(dirname(fileURLToPath(import.meta.url)));
  process.stderr.write(`kiosk-verify is not built: run npm run build in ${project}\n`);
  process.exit(1);
}
const { main } = await import(bundle.href);
await main();
