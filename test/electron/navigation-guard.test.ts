/**
 * The global web-contents-created guard on a stand-in webContents (checklist 11-15): no new
 * window and never the system browser, no navigation or redirect away from app://kiosk in any
 * frame, no webview, no context menu, and in production no devtools, reload or zoom.
 */
import { describe, expect, it } from 'vitest';
import { guardWebContents, isAllowedNavigation } from '../../main/electron/navigation-guard.js';
import { FakeEvent, FakeWebContents } from './fake-electron.js';

function guarded(development = false) {
  const contents = new FakeWebContents();
  const logged: { event: string; details: Record<string, unknown> }[] = [];
  guardWebContents(contents.asElectron(), {
    development,
    log: (event, details) => logged.push({ event, details }),
  });
  return { contents, logged };
}

describe('window.open (checklist 14 and 15)', () => {
  it('denies every new window, https links included, and opens nothing outside', () => {
    const { contents, logged } = guarded();
    for (const url of ['https://example.com/', 'app://kiosk/index.html', 'file:///etc/passwd']) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(logged.map((l) => l.event)).toEqual(Array(3).fill('window-open-refused'));
    // Only scheme and host are logged: a path could carry a customer's input.
    expect(logged[0]?.details).toEqual({ to: 'https://example.com' });
  });
});

describe('navigation (checklist 13)', () => {
  it('lets the app move between its own pages', () => {
    const { contents } = guarded();
    const event = new FakeEvent();
    contents.emit('will-navigate', event, 'app://kiosk/index.html#/consent');
    expect(event.prevented).toBe(false);
  });

  it.each([
    'https://example.com/',
    'http://127.0.0.1:8080/',
    'file:///C:/Windows/System32/cmd.exe',
    'app://kiosk.evil.example/',
    'app://kiosk@evil.example/',
    'app://kiosk:8080/',
    'javascript:alert(1)',
    'data:text/html,<h1>hi</h1>',
    'chrome://settings',
    'devtools://devtools/bundled/inspector.html',
  ])('refuses will-navigate and will-redirect to %s', (url) => {
    const { contents, logged } = guarded();
    const navigate = new FakeEvent();
    const redirect = new FakeEvent();
    contents.emit('will-navigate', navigate, url);
    contents.emit('will-redirect', redirect, url);
    expect(navigate.prevented).toBe(true);
    expect(redirect.prevented).toBe(true);
    expect(logged.map((l) => l.event)).toEqual(['navigation-refused', 'navigation-refused']);
  });

  it('refuses a sub-frame or main frame leaving the app (will-frame-navigate)', () => {
    const { contents } = guarded();
    const sub = Object.assign(new FakeEvent(), { url: 'https://example.com/', isMainFrame: false });
    const ours = Object.assign(new FakeEvent(), { url: 'app://kiosk/x', isMainFrame: true });
    contents.emit('will-frame-navigate', sub);
    contents.emit('will-frame-navigate', ours);
    expect(sub.prevented).toBe(true);
    expect(ours.prevented).toBe(false);
  });

  it('decides by parsing, not by prefix', () => {
    expect(isAllowedNavigation('app://kiosk/')).toBe(true);
    expect(isAllowedNavigation('app://kiosk')).toBe(true);
    expect(isAllowedNavigation('app://kioskx/')).toBe(false);
    expect(isAllowedNavigation('not a url')).toBe(false);
  });
});

describe('webview and context menu (checklist 11 and 12)', () => {
  it('refuses attaching a webview', () => {
    const { contents, logged } = guarded();
    const event = new FakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.prevented).toBe(true);
    expect(logged.map((l) => l.event)).toEqual(['webview-refused']);
  });

  it('shows no context menu', () => {
    const { contents } = guarded();
    const event = new FakeEvent();
    contents.emit('context-menu', event, {});
    expect(event.prevented).toBe(true);
  });
});

describe('production lock-down', () => {
  it('closes devtools should they open, swallows blocked shortcuts and undoes zoom', () => {
    const { contents } = guarded(false);
    contents.emit('devtools-opened');
    expect(contents.devToolsClosed).toBe(1);
    const f12 = new FakeEvent();
    const letter = new FakeEvent();
    const base = { control: false, meta: false, alt: false, shift: false, code: '' };
    contents.emit('before-input-event', f12, { ...base, key: 'F12', type: 'keyDown' });
    contents.emit('before-input-event', letter, { ...base, key: 'a', type: 'keyDown' });
    expect(f12.prevented).toBe(true);
    expect(letter.prevented).toBe(false);
    contents.emit('zoom-changed', new FakeEvent(), 'in');
    expect(contents.zoomLevel).toBe(0);
    contents.emit('did-finish-load');
    expect(contents.visualZoomLimits).toEqual([1, 1]);
  });

  it('in development leaves devtools and shortcuts alone, and still guards navigation', () => {
    const { contents } = guarded(true);
    contents.emit('devtools-opened');
    expect(contents.devToolsClosed).toBe(0);
    expect(contents.listenerCount('before-input-event')).toBe(0);
    const away = new FakeEvent();
    contents.emit('will-navigate', away, 'https://example.com/');
    expect(away.prevented).toBe(true);
  });

  it('guards a webContents once however often it is handed over', () => {
    const contents = new FakeWebContents();
    const options = { development: false, log: () => undefined };
    guardWebContents(contents.asElectron(), options);
    guardWebContents(contents.asElectron(), options);
    expect(contents.listenerCount('will-navigate')).toBe(1);
  });
});
