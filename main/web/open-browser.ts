/**
 * Opens the harness's address in a locally installed Chromium-family browser as a kiosk: its
 * own window without tabs or address bar (--app), full screen (--kiosk), the camera allowed
 * without a prompt for this page, its own profile (so it never touches the user's browsing and
 * the permission does not leak to other sites). No browser, or no display: the caller prints
 * the address instead.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const CANDIDATES: Record<string, readonly string[]> = {
  linux: [
    'chromium',
    'chromium-browser',
    'google-chrome',
    'google-chrome-stable',
    'microsoft-edge',
  ],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ],
  win32: [
    join(
      process.env['PROGRAMFILES'] ?? 'C:\\Program Files',
      'Google\\Chrome\\Application\\chrome.exe',
    ),
    join(
      process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)',
      'Microsoft\\Edge\\Application\\msedge.exe',
    ),
  ],
};

/** The first Chromium-family browser installed here (KIOSK_BROWSER wins), or null. */
export function findBrowser(env = process.env, platform = process.platform): string | null {
  const forced = env['KIOSK_BROWSER'];
  if (forced) return existsSync(forced) ? forced : null;
  for (const candidate of CANDIDATES[platform] ?? []) {
    if (candidate.includes('/') || candidate.includes('\\')) {
      if (existsSync(candidate)) return candidate;
      continue;
    }
    for (const dir of (env['PATH'] ?? '').split(delimiter)) {
      const file = join(dir, candidate);
      if (dir !== '' && existsSync(file)) return file;
    }
  }
  return null;
}

/** Whether a window can be shown at all (a Linux box without X or Wayland cannot). */
export function hasDisplay(env = process.env, platform = process.platform): boolean {
  if (platform !== 'linux') return true;
  return Boolean(env['DISPLAY'] || env['WAYLAND_DISPLAY']);
}

/** The flags a kiosk needs, for the address `url` and a browser profile in `profileDir`. */
export function kioskBrowserArgs(url: string, profileDir: string): string[] {
  return [
    `--app=${url}`,
    '--kiosk',
    `--user-data-dir=${profileDir}`,
    // Grants the camera prompt without showing it (the page is the kiosk's own, on loopback).
    '--use-fake-ui-for-media-stream',
    '--autoplay-policy=no-user-gesture-required',
    '--no-first-run',
    '--no-default-browser-check',
    '--noerrdialogs',
    '--disable-translate',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
  ];
}

/** Starts the browser detached from this process's terminal; resolves once it is spawned. */
export function openKioskBrowser(browser: string, url: string, profileDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(browser, kioskBrowserArgs(url, profileDir), {
      stdio: 'ignore',
      detached: true,
    });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
