#!/usr/bin/env node
// The installed command: runs the bundled CLI that `npm install` builds (scripts/build.mjs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write(
    'kiosk-verify is not built yet: run `npm run build` in the project folder.\n',
  );
  process.exit(1);
}
const { main } = await import(bundle.href);
await main();
