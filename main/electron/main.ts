/**
 * The Electron main entry: app lifecycle, the kiosk window, the app:// protocol and IPC.
 * The only place (with preload/) that imports electron at runtime; everything it runs is a
 * plain Node service from main/.
 */
import { app, BrowserWindow, session, shell } from 'electron';
import { fileURLToPath } from 'node:url';
import { APP_ORIGIN, registerAppSchemeAsPrivileged, serveRenderer } from './app-protocol.js';
import { registerIpc } from './ipc.js';

const here = fileURLToPath(new URL('.', import.meta.url));

registerAppSchemeAsPrivileged();

function createKioskWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    backgroundColor: '#0b1e33',
    webPreferences: {
      preload: `${here}../preload/index.cjs`,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  // The kiosk never opens other windows and never leaves its own pages.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  serveRenderer(`${here}../renderer`);
  // Permissions: the camera for our own pages, nothing else for anyone.
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback) => {
    callback(permission === 'media' && contents.getURL().startsWith(`${APP_ORIGIN}/`));
  });
  registerIpc({
    'app:get-info': () => ({
      version: app.getVersion(),
      // The services (keychain, queue, embedded emulator) are wired in with the kiosk UI; until
      // then this window sends nothing, which is what training mode means to staff.
      trainingMode: true,
      platform: process.platform,
    }),
  });
  createKioskWindow();
  app.on('window-all-closed', () => app.quit());
}

void start();
