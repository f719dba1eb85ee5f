/**
 * Where the queue lives: the same folder as Electron's app.getPath('userData'), so the app and
 * the CLI share one queue. Electron's userData is appData joined with the app name, where appData
 * is %APPDATA% on Windows, ~/Library/Application Support on macOS and $XDG_CONFIG_HOME (or
 * ~/.config) on Linux.
 */
import path from 'node:path';

/** Must equal the name Electron uses (package.json productName, or app.setName). */
export const APP_DATA_FOLDER_NAME = 'Kiosk Verify';

export const QUEUE_DATABASE_FILE = 'queue.sqlite';

/** The app's data folder for a platform; pure, so every OS's answer is testable anywhere. */
export function defaultDataDir(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  homedir: string,
): string {
  if (platform === 'win32') {
    const appData = env.APPDATA || path.win32.join(homedir, 'AppData', 'Roaming');
    return path.win32.join(appData, APP_DATA_FOLDER_NAME);
  }
  if (platform === 'darwin') {
    return path.posix.join(homedir, 'Library', 'Application Support', APP_DATA_FOLDER_NAME);
  }
  // The XDG spec ignores a relative XDG_CONFIG_HOME; so does Chromium.
  const configHome = env.XDG_CONFIG_HOME;
  const base =
    configHome && path.posix.isAbsolute(configHome)
      ? configHome
      : path.posix.join(homedir, '.config');
  return path.posix.join(base, APP_DATA_FOLDER_NAME);
}

export function queueDatabasePath(dataDir: string): string {
  return path.join(dataDir, QUEUE_DATABASE_FILE);
}
