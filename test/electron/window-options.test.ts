/**
 * The kiosk window's options, each asserted (Electron's security checklist items 2, 3, 4, 6,
 * 8, 9, 10, 11 and the kiosk lock-down): the options object is what main.ts hands to
 * BrowserWindow, so this is what the packaged kiosk runs with.
 */
import { describe, expect, it } from 'vitest';
import { kioskWebPreferences, kioskWindowOptions } from '../../main/electron/window-options.js';

const production = kioskWindowOptions({
  preloadPath: '/app/preload/index.cjs',
  development: false,
});
const prefs = production.webPreferences ?? {};

describe('the kiosk window in production', () => {
  it('isolates the page from the preload (checklist 3) and sandboxes the renderer (checklist 4)', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
  });

  it('gives Node.js to no page, worker or sub-frame (checklist 2)', () => {
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps webSecurity on and refuses insecure content (checklist 6 and 8)', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
  });

  it('enables no experimental or extra Blink features (checklist 9 and 10)', () => {
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.enableBlinkFeatures).toBe('');
    expect(prefs.disableBlinkFeatures).toBe('Auxclick');
  });

  it('has no <webview> tag (checklist 11 and 12)', () => {
    expect(prefs.webviewTag).toBe(false);
  });

  it('turns off spellcheck, drag-and-drop navigation, dialogs, WebGL, plugins and WebSQL', () => {
    expect(prefs.spellcheck).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(prefs.disableDialogs).toBe(true);
    expect(prefs.safeDialogs).toBe(true);
    expect(prefs.webgl).toBe(false);
    expect(prefs.plugins).toBe(false);
    expect(prefs.enableWebSQL).toBe(false);
    expect(prefs.enableDeprecatedPaste).toBe(false);
  });

  it('has no devtools, zoom fixed at 100 %, and the preload it was given', () => {
    expect(prefs.devTools).toBe(false);
    expect(prefs.zoomFactor).toBe(1);
    expect(prefs.preload).toBe('/app/preload/index.cjs');
  });

  it('is a full-screen kiosk with no menu bar that cannot be resized, moved, minimised or closed by hand', () => {
    expect(production).toMatchObject({
      kiosk: true,
      fullscreen: true,
      autoHideMenuBar: true,
      resizable: false,
      movable: false,
      minimizable: false,
      maximizable: false,
      closable: false,
      frame: false,
      show: false,
    });
  });

  it('sets every security option explicitly, none left to a default that could change', () => {
    const explicit = [
      'contextIsolation',
      'sandbox',
      'nodeIntegration',
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'webSecurity',
      'allowRunningInsecureContent',
      'experimentalFeatures',
      'enableBlinkFeatures',
      'webviewTag',
      'spellcheck',
      'navigateOnDragDrop',
      'devTools',
      'preload',
    ];
    for (const key of explicit) expect(prefs, key).toHaveProperty(key);
  });
});

describe('the window in development', () => {
  it('is a normal window with devtools, and every other security option unchanged', () => {
    const dev = kioskWindowOptions({ preloadPath: '/p.cjs', development: true });
    expect(dev).toMatchObject({ kiosk: false, fullscreen: false, closable: true });
    expect(dev.webPreferences?.devTools).toBe(true);
    const { devTools: _a, ...devRest } = dev.webPreferences ?? {};
    const { devTools: _b, ...prodRest } = kioskWebPreferences({
      preloadPath: '/p.cjs',
      development: false,
    });
    expect(devRest).toEqual(prodRest);
  });
});

describe('the start-up failure window', () => {
  it('has no preload at all (a static page needs no bridge)', () => {
    const options = kioskWindowOptions({ preloadPath: null, development: false });
    expect(options.webPreferences).not.toHaveProperty('preload');
    expect(options.webPreferences?.sandbox).toBe(true);
  });
});
