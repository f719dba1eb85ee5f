/**
 * The Electron main entry: glue only. Every decision is a pure, tested function in this folder
 * (window-options, input-guard, navigation-guard, permissions, sender-check, kiosk-care,
 * startup-failure, lifecycle, downloads); everything the kiosk does is a plain Node service
 * from main/. The only place (with preload/) that imports electron at runtime.
 */
import { app, BrowserWindow, Menu, net, powerSaveBlocker, session, type Session } from 'electron';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ENTRY_URL, registerAppSchemeAsPrivileged, serveRenderer } from './app-protocol.js';
import { downloadSavePath } from './downloads.js';
import { forwardKioskEvents, registerIpc } from './ipc.js';
import { HangWatch, RecoveryPolicy, watchRenderer } from './kiosk-care.js';
import { isDevelopment, mayCloseWindow, QuitSequence, startAtLoginWish } from './lifecycle.js';
import { guardWebContents } from './navigation-guard.js';
import { applyPermissionPolicy } from './permissions.js';
import type { ShellLog } from './shell-log.js';
import {
  describeStartupFailure,
  startupFailurePage,
  startupFailureUrl,
} from './startup-failure.js';
import { kioskWindowOptions } from './window-options.js';
import { startKiosk, type Kiosk } from '../kiosk.js';
import { KeytarSecretStore } from '../secrets/keytar-secret-store.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const development = isDevelopment(app.isPackaged, process.env);

let kiosk: Kiosk | null = null;
let kioskWindow: BrowserWindow | null = null;

/** The kiosk's event log once the services run; before that (or if they never do) a line in
 * the same file written directly, and stderr. */
const log: ShellLog = (event, details) => {
  if (kiosk !== null) {
    kiosk.services.log.record(event, details);
    return;
  }
  const line = `${JSON.stringify({ at: new Date().toISOString(), event, ...details })}\n`;
  process.stderr.write(line);
  try {
    const dir = join(app.getPath('userData'), 'logs');
    mkdirSync(dir, { recursive: true });
    appendFileSync(join(dir, 'kiosk-verify.log'), line);
  } catch {
    // The data folder itself may be what failed; stderr has the line.
  }
};

// Before 'ready': every renderer sandboxed (checklist 4), app:// registered as a secure scheme.
app.enableSandbox();
registerAppSchemeAsPrivileged();

const quit = new QuitSequence({
  close: async () => {
    await kiosk?.close();
  },
  exit: (code) => app.exit(code),
  log,
});

if (!app.requestSingleInstanceLock()) {
  // A second start (a double click, autostart racing a service): the first kiosk is focused
  // (second-instance below) and this one leaves before opening anything.
  app.exit(0);
} else {
  app.on('second-instance', () => {
    if (kioskWindow === null || kioskWindow.isDestroyed()) return;
    if (kioskWindow.isMinimized()) kioskWindow.restore();
    kioskWindow.show();
    kioskWindow.focus();
  });
  // Every webContents, the moment it exists: navigation, window.open, webview, shortcuts.
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, { development, log });
    applyPermissionPolicy(contents.session, log);
  });
  app.on('before-quit', (event) => quit.beforeQuit(event));
  app.on('window-all-closed', () => app.quit());
  // A service manager's stop (systemd, launchd) or Ctrl+C quits cleanly: the queue closes.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => app.quit());
  void start().catch((error: unknown) => showStartupFailure(error));
}

function createWindow(preloadPath: string | null): BrowserWindow {
  const window = new BrowserWindow(kioskWindowOptions({ preloadPath, development }));
  window.on('close', (event) => {
    if (mayCloseWindow(quit.quitting, development)) return;
    event.preventDefault();
    log('window-close-refused', {});
  });
  // Windows shutting down or logging off: close the queue while there is time (before-quit).
  window.on('session-end', () => app.quit());
  window.once('ready-to-show', () => window.show());
  kioskWindow = window;
  return window;
}

/** Downloads (checklist 13's cousin): only our own blob: exports, saved without a dialog. */
function guardDownloads(ses: Session): void {
  ses.on('will-download', (event, item) => {
    const path = downloadSavePath(item.getURL(), item.getFilename(), app.getPath('downloads'));
    if (path === null) {
      event.preventDefault();
      log('download-refused', {});
      return;
    }
    item.setSavePath(path);
    log('download-saved', { path });
  });
}

/** Once, when Electron is ready: the session's guards, the protocol, the display kept on. */
async function start(): Promise<void> {
  await app.whenReady();
  // No menu: no menu bar and none of the default menu's shortcuts (reload, devtools, zoom).
  Menu.setApplicationMenu(null);
  applyPermissionPolicy(session.defaultSession, log);
  guardDownloads(session.defaultSession);
  serveRenderer(`${here}../renderer`);
  // Keep the screen on: a kiosk that sleeps looks broken to the next customer.
  powerSaveBlocker.start('prevent-display-sleep');
  const startAtLogin = startAtLoginWish(process.argv, process.env);
  if (startAtLogin !== null && (process.platform === 'win32' || process.platform === 'darwin')) {
    app.setLoginItemSettings({ openAtLogin: startAtLogin });
  }
  await launchKiosk();
}

/** The services, the IPC border and the kiosk window; again after a start-up failure passes. */
async function launchKiosk(): Promise<void> {
  // The queue lives in userData, where the CLI's default --data-dir points too; connectivity
  // is the OS's answer (net.isOnline) and then a reachability check of the vendor hosts.
  // Training mode on the embedded emulator when no vendor credentials are set (kiosk.ts).
  const running = await startKiosk({
    dataDir: app.getPath('userData'),
    secrets: new KeytarSecretStore(),
    osOnline: () => net.isOnline(),
    appVersion: app.getVersion(),
    forceTraining: process.argv.includes('--training'),
    // The staff console's Quit (signed in with the PIN): the only way out of the kiosk besides
    // the OS. before-quit holds it until the queue has closed (lifecycle.ts).
    onQuit: () => app.quit(),
  });
  try {
    await running.services.startDelivery();
  } catch (error) {
    await running.close().catch(() => undefined);
    throw error;
  }
  kiosk = running;
  registerIpc(
    running.commands,
    (channel, error) =>
      log('ipc-command-failed', {
        channel,
        message: error instanceof Error ? error.message : String(error),
      }),
    (channel) => log('ipc-sender-refused', { channel }),
  );

  const failurePage = kioskWindow;
  const window = createWindow(`${here}../preload/index.cjs`);
  // The start-up failure page (if a retry got us here) goes: destroy, not close (refused).
  if (failurePage !== null && !failurePage.isDestroyed()) failurePage.destroy();
  forwardKioskEvents(window, running);
  const reload = (): void => void window.loadURL(APP_ENTRY_URL).catch(() => undefined);
  const stopWatching = watchRenderer(window, {
    app,
    reload,
    log,
    policy: new RecoveryPolicy({ now: () => performance.now() }),
    hangs: new HangWatch({ now: () => performance.now() }),
    // A no-op in an isolated world of its own: it runs on the page's main thread (so a hung
    // page never answers) but outside the page's world and CSP, and needs no preload channel.
    heartbeat: () =>
      window.webContents.executeJavaScriptInIsolatedWorld(HEARTBEAT_WORLD, [{ code: '0' }]),
  });
  window.once('closed', stopWatching);
  reload();
}

/** An isolated world id of our own (the preload's context-isolated world is 999). */
const HEARTBEAT_WORLD = 1001;

/**
 * A full-screen page saying what is wrong and what to do: never a blank window or a silent
 * exit. A keychain not there yet or locked is tried again by itself (startup-failure.ts).
 */
function showStartupFailure(error: unknown): void {
  const failure = describeStartupFailure(error);
  log('startup-failed', {
    kind: failure.kind,
    code: failure.code,
    message: failure.detail,
    retryInMs: failure.retryInMs ?? -1,
  });
  const html = startupFailurePage(failure, new Date().toISOString());
  void app
    .whenReady()
    .then(() => {
      // No preload: this static page needs no bridge, and runs no script.
      const window =
        kioskWindow !== null && !kioskWindow.isDestroyed() ? kioskWindow : createWindow(null);
      return window.loadURL(startupFailureUrl(html));
    })
    .then(() => {
      if (failure.retryInMs === null || quit.quitting) return;
      setTimeout(() => {
        if (quit.quitting) return;
        void launchKiosk().catch((again: unknown) => showStartupFailure(again));
      }, failure.retryInMs);
    })
    .catch((showError: unknown) => {
      // Not even a window: say so where IT will look, then leave with a failure code.
      log('startup-failure-page-failed', {
        message: showError instanceof Error ? showError.message : String(showError),
      });
      app.exit(1);
    });
}
