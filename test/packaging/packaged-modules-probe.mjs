// Copied by test/packaging/package-contents.test.ts into dist/main/ of the packaged app, once
// its app.asar (and app.asar.unpacked) is extracted to a temporary folder, and run there with
// plain Node. From where the bundles sit it resolves every module they load, the way they load
// it, then uses each native module once. Prints one JSON line.
//
// The natives are the ones in node_modules (npmRebuild is off in the test), built for this Node;
// in a real package they are rebuilt for Electron's ABI. What this proves is that the package
// carries them and everything they need, where the bundles look for them.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const { imports, requires } = JSON.parse(process.argv[2] ?? '{}');
const require = createRequire(import.meta.url);

const resolved = {};
for (const specifier of imports)
  resolved[specifier] = fileURLToPath(import.meta.resolve(specifier));
for (const specifier of requires) resolved[specifier] = require.resolve(specifier);

// sharp with its prebuilt binary (@img/sharp-<os>-<arch>) and libvips: decode a PNG, write a JPEG.
const sharp = (await import('sharp')).default;
const sharpBinary = `@img/sharp-${process.platform}-${process.arch}/sharp.node`;
resolved[sharpBinary] = createRequire(resolved.sharp ?? require.resolve('sharp')).resolve(
  sharpBinary,
);
const png = await sharp({
  create: { width: 16, height: 8, channels: 3, background: { r: 200, g: 120, b: 90 } },
})
  .png()
  .toBuffer();
const { info } = await sharp(png).jpeg({ quality: 85 }).toBuffer({ resolveWithObject: true });

// better-sqlite3: open a database and ask it something.
const Database = (await import('better-sqlite3')).default;
const db = new Database(':memory:');
const { version: sqlite } = db.prepare('select sqlite_version() as version').get();
db.close();

// keytar: loading its binary is the test (a call needs the OS keychain).
const keytar = (await import('keytar')).default;

// The face models where main/capture/tfjs-runtime.ts looks for them, and tfjs's WASM backend
// started from the .wasm files where main/capture/face-model.ts points it.
const humanDir = dirname(dirname(require.resolve('@vladmandic/human')));
const models = ['blazeface', 'facemesh', 'iris'].flatMap((name) => [`${name}.json`, `${name}.bin`]);
const missingModels = models.filter((file) => !existsSync(join(humanDir, 'models', file)));
const tf = require('@tensorflow/tfjs-core');
const wasm = require('@tensorflow/tfjs-backend-wasm');
wasm.setWasmPaths(
  `${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}${sep}`,
  false,
);
const tfjsBackend = (await tf.setBackend('wasm')) ? tf.getBackend() : 'none';

console.log(
  JSON.stringify({
    resolved,
    image: { format: info.format, width: info.width, height: info.height },
    vips: sharp.versions.vips,
    sqlite,
    keytar: typeof keytar.getPassword,
    missingModels,
    tfjsBackend,
    here: fileURLToPath(new URL('../../', import.meta.url)),
  }),
);
