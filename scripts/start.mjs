// `npm start`: installs what is missing, builds, and starts the kiosk: in Electron where its
// binary is installed, else in the browser harness (printing the address, opening a Chromium in
// kiosk mode when there is one and a display). Training mode on the embedded emulator when no
// vendor credentials are set. Arguments after `--` go to the kiosk (e.g. --port, --no-open).
// `npm run web` (--web) always starts the browser harness.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const webOnly = process.argv[2] === '--web';
const args = process.argv.slice(webOnly ? 3 : 2);

function step(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

step(process.execPath, ['scripts/install.mjs']);
step(process.execPath, ['scripts/build.mjs']);

/**
 * The Electron binary's path when it is really there. Read from the electron package's own
 * path.txt, not by require('electron'): that tries to download a missing binary, and prints a
 * stack trace when the download is blocked.
 */
function electronBinary() {
  const packageDir = join(root, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = readFileSync(pathFile, 'utf8').trim();
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? join(override, executable) : join(packageDir, 'dist', executable);
  return executable !== '' && existsSync(binary) ? binary : null;
}

function run(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', cwd: root, env });
  // Ctrl+C reaches the child through the terminal; this process waits for it to finish.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => undefined);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = webOnly ? null : electronBinary();
if (electron !== null) {
  run(electron, [root, ...args]);
} else {
  if (!webOnly) {
    console.log(
      'Electron is not installed on this machine (its download did not complete): starting the same kiosk in the browser.',
    );
  }
  const web = [join(root, 'dist', 'main', 'web.js'), ...args];
  const noDesktopKeychain = process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS;
  if (noDesktopKeychain) {
    // No desktop session, so no keychain service: a private gnome-keyring kept in the user's
    // data folder (its queue data key must be there next time too).
    const dataHome = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
    const keep = join(dataHome, 'kiosk-verify', 'private-keyring');
    console.log(`No desktop keychain here: using a private one in ${keep}.`);
    run('bash', [
      join(root, 'scripts', 'with-keychain.sh'),
      '--keep',
      keep,
      process.execPath,
      ...web,
    ]);
  } else {
    run(process.execPath, web);
  }
}
