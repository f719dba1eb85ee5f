/**
 * The guard every webContents gets the moment it exists (`app.on('web-contents-created')`), so
 * no window, frame or devtools view is ever without it: the kiosk opens no other window (and
 * never the system browser: a link to https:// would be a way out of the kiosk), never leaves
 * its own app:// pages, attaches no <webview>, and shows no context menu. Refusals are logged.
 */
import type { Event, WebContents, WebContentsWillFrameNavigateEventParams } from 'electron';
import { isAppUrl } from './app-origin.js';
import { blockedShortcut } from './input-guard.js';
import { whereFrom, type ShellLog } from './shell-log.js';

/** Whether a navigation (or redirect) to `url` may go ahead: our own pages only. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

export interface GuardOptions {
  /** Development: devtools and reload shortcuts stay usable. */
  development: boolean;
  log: ShellLog;
}

/** Attaches every guard to `contents`. Idempotent per webContents. */
export function guardWebContents(contents: WebContents, options: GuardOptions): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  const { log } = options;

  // Checklist 14 and 15: no new window, ever, and nothing handed to shell.openExternal.
  contents.setWindowOpenHandler(({ url }) => {
    log('window-open-refused', { to: whereFrom(url) });
    return { action: 'deny' };
  });

  // Checklist 13: no navigation or redirect away from app://kiosk, in any frame.
  const refuseUnlessOurs = (kind: string) => (event: { preventDefault(): void }, url: string) => {
    if (isAllowedNavigation(url)) return;
    event.preventDefault();
    log('navigation-refused', { kind, to: whereFrom(url) });
  };
  contents.on('will-navigate', refuseUnlessOurs('navigate'));
  contents.on('will-redirect', refuseUnlessOurs('redirect'));
  contents.on('will-frame-navigate', (event: Event<WebContentsWillFrameNavigateEventParams>) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    log('navigation-refused', {
      kind: event.isMainFrame ? 'frame-main' : 'frame-sub',
      to: whereFrom(event.url),
    });
  });

  // Checklist 11 and 12: webviewTag is off; refuse an attachment should one be asked for.
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('webview-refused', {});
  });

  // Electron shows no context menu unless the app builds one, and this app builds none. The
  // listener exists so that a default added later would still not be shown.
  contents.on('context-menu', (event) => event.preventDefault());

  if (!options.development) {
    // Devtools stay shut in production even if something asks for them.
    contents.on('devtools-opened', () => {
      contents.closeDevTools();
      log('devtools-closed', {});
    });
    contents.on('before-input-event', (event, input) => {
      if (blockedShortcut(input, false) !== null) event.preventDefault();
    });
    // Pinch and Ctrl+wheel zoom: the layout is drawn for the kiosk's screen.
    contents.on('zoom-changed', () => contents.setZoomLevel(0));
    contents.on('did-finish-load', () => {
      contents.setVisualZoomLevelLimits(1, 1).catch(() => undefined);
    });
  }
}

const guarded = new WeakSet<WebContents>();
