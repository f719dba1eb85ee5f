// Installs what the kiosk needs and nothing more, for `npm start` and `npm test` alike:
//  - on Debian/Ubuntu, the system packages keytar builds and runs against (and, for the tests,
//    Chromium), with apt-get when running as root, else the exact command to run;
//  - the npm packages (`npm ci`) whenever package-lock.json changed since the last install.
// Usage: node scripts/install.mjs [--with-chromium]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const withChromium = process.argv.includes('--with-chromium');

// keytar builds against libsecret; the private test keychain is gnome-keyring on a D-Bus
// session bus (dbus-run-session), checked with gdbus (libglib2.0-bin).
const SYSTEM_PACKAGES = ['libsecret-1-dev', 'gnome-keyring', 'dbus', 'libglib2.0-bin'];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    console.error(`install: "${command} ${args.join(' ')}" failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

function installed(pkg) {
  return spawnSync('dpkg', ['-s', pkg], { stdio: 'ignore' }).status === 0;
}

if (process.platform === 'linux') {
  const hasDpkg = spawnSync('dpkg', ['--version'], { stdio: 'ignore' }).status === 0;
  if (hasDpkg) {
    const wanted = [...SYSTEM_PACKAGES, ...(withChromium ? ['chromium'] : [])];
    const missing = wanted.filter((pkg) => !installed(pkg));
    if (missing.length > 0) {
      if (process.getuid?.() === 0) {
        console.log(`install: system packages: ${missing.join(' ')}`);
        const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
        run('apt-get', ['update', '-qq'], { env });
        run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
          env,
          stdio: ['ignore', 'ignore', 'inherit'],
        });
      } else {
        console.error(
          `install: missing system packages. Run: sudo apt-get install ${missing.join(' ')}`,
        );
        process.exit(69);
      }
    }
  } else {
    console.error(
      'install: not Debian/Ubuntu: install the libsecret development files, gnome-keyring, dbus and gdbus (glib) yourself.',
    );
  }
}

// npm packages: a clean install whenever the lock file changed since the last one.
const stamp = join(root, 'node_modules', '.kiosk-verify-lock');
const lockHash = createHash('sha256')
  .update(readFileSync(join(root, 'package-lock.json')))
  .digest('hex');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== lockHash) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  run(npm, ['ci', '--no-audit', '--no-fund'], { shell: process.platform === 'win32' });
  writeFileSync(stamp, `${lockHash}\n`);
}
// Quiet when nothing was missing: `npm start` prints one line of its own, not an install log.
