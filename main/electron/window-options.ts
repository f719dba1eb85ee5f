/**
 * The kiosk window's options, as one pure function so a unit test can assert every one of them
 * (test/electron/window-options.test.ts). Each webPreferences option that matters for security
 * is set explicitly, even where it equals Electron's default: a default that changes between
 * Electron versions must not change what the kiosk allows.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

export interface KioskWindowSettings {
  /** The bundled preload (dist/preload/index.cjs); null for a page that needs no bridge. */
  preloadPath: string | null;
  /**
   * Development (an unpackaged run with KIOSK_VERIFY_DEV=1): a normal window with devtools. A
   * packaged kiosk is never in development.
   */
  development: boolean;
}

/** The background the window shows before the first paint (the attract screen's colour). */
export const KIOSK_BACKGROUND = '#0b1e33';

/** The renderer's webPreferences: Electron's security checklist, item by item. */
export function kioskWebPreferences(settings: KioskWindowSettings): WebPreferences {
  return {
    // Checklist 3 and 20: the page's scripts never share a JavaScript world with the preload;
    // window.kiosk is the only thing the preload hands over (contextBridge).
    contextIsolation: true,
    // Checklist 4: the renderer runs in Chromium's OS sandbox; the preload gets no Node.
    sandbox: true,
    // Checklist 2: no Node.js in the page, its workers or any sub-frame.
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    // Checklist 6 and 8: same-origin policy on, no http content on our app:// pages.
    webSecurity: true,
    allowRunningInsecureContent: false,
    // Checklist 9 and 10: no experimental web platform features and no extra Blink features.
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    // A middle click (auxclick) is another way to ask for a new window; we deny those anyway.
    disableBlinkFeatures: 'Auxclick',
    // Checklist 11 and 12: no <webview> at all (and will-attach-webview is refused too).
    webviewTag: false,
    // Spellcheck would send typed words to a dictionary service and put squiggles on staff input.
    spellcheck: false,
    // A file dropped on the window must not replace the kiosk with the file.
    navigateOnDragDrop: false,
    // alert()/confirm()/prompt() would freeze the kiosk behind a native dialog nobody closes.
    disableDialogs: true,
    safeDialogs: true,
    // The renderer draws with <video> and 2D canvases only: no WebGL, no plugins, no WebSQL.
    webgl: false,
    plugins: false,
    enableWebSQL: false,
    enableDeprecatedPaste: false,
    javascript: true,
    images: true,
    // Zoom is off: the layout is made for the kiosk's screen (keyboard and pinch are blocked in
    // input-guard.ts and main.ts).
    zoomFactor: 1,
    // No devtools on a kiosk strangers touch; developers get them.
    devTools: settings.development,
    ...(settings.preloadPath === null ? {} : { preload: settings.preloadPath }),
  };
}

/** The kiosk window: full screen kiosk mode, no menu, nothing to resize or close by hand. */
export function kioskWindowOptions(settings: KioskWindowSettings): BrowserWindowConstructorOptions {
  const locked = !settings.development;
  return {
    width: 1280,
    height: 800,
    show: false,
    backgroundColor: KIOSK_BACKGROUND,
    title: 'Kiosk Verify',
    // Kiosk mode: full screen, above the task bar, no way to leave by the window's controls.
    kiosk: locked,
    fullscreen: locked,
    fullscreenable: true,
    // No menu bar (and Menu.setApplicationMenu(null) removes the default menu's shortcuts).
    autoHideMenuBar: true,
    resizable: !locked,
    movable: !locked,
    minimizable: !locked,
    maximizable: !locked,
    // The frame's close button and Alt+F4 are refused in main.ts while not quitting; this keeps
    // the button away on platforms that draw one.
    closable: !locked,
    frame: !locked,
    skipTaskbar: locked,
    webPreferences: kioskWebPreferences(settings),
  };
}
