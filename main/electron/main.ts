/**
 * The Electron main entry: app lifecycle, the kiosk window, the app:// protocol and IPC.
 * The only place (with preload/) that imports electron at runtime; everything it runs is a
 * plain Node service from main/.
 */
import { app, BrowserWindow, net, session, shell } from 'electron';
import { fileURLToPath } from 'node:url';
import { APP_ORIGIN, registerAppSchemeAsPrivileged, serveRenderer } from './app-protocol.js';
import { forwardKioskEvents, registerIpc } from './ipc.js';
import { startKiosk } from '../kiosk.js';
import { KeytarSecretStore } from '../secrets/keytar-secret-store.js';

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
  // The queue lives in userData, where the CLI's default --data-dir points too; connectivity
  // is the OS's answer (net.isOnline) and then a reachability check of the vendor hosts.
  // Training mode on the embedded emulator when no vendor credentials are set (kiosk.ts).
  const kiosk = await startKiosk({
    dataDir: app.getPath('userData'),
    secrets: new KeytarSecretStore(),
    osOnline: () => net.isOnline(),
    appVersion: app.getVersion(),
  });
  await kiosk.services.startDelivery();
  app.on('will-quit', () => void kiosk.close());
  registerIpc(kiosk.commands, (channel, error) =>
    kiosk.services.log.record('ipc-command-failed', {
      channel,
      message: error instanceof Error ? error.message : String(error),
    }),
  );
  forwardKioskEvents(createKioskWindow(), kiosk);
  app.on('window-all-closed', () => app.quit());
}

void start();
