/**
 * The app's own origin, app://kiosk, and the one test every guard uses to tell our pages from
 * anything else (navigation, permissions, IPC senders). Pure: no electron here, so the guards
 * are unit-tested in plain Node.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The renderer's entry: a fresh load of it is the attract screen. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Whether `url` is one of our pages: scheme app:, host kiosk, no user, password or port.
 * Parsed, never compared by prefix: "app://kiosk.evil/" and "app://kiosk@evil/" start with
 * "app://kiosk" too. (A non-special scheme's URL#origin is "null" in WHATWG URL, so the
 * scheme and host are compared instead.)
 */
export function isAppUrl(url: string | null | undefined): boolean {
  if (typeof url !== 'string' || url === '') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname.toLowerCase() === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * Whether `origin` (as Chromium serializes a security origin: "app://kiosk", sometimes with a
 * trailing slash) is ours. An origin has no path: "app://kiosk/x" is not an origin.
 */
export function isAppOrigin(origin: string | null | undefined): boolean {
  if (typeof origin !== 'string') return false;
  return origin === APP_ORIGIN || origin === `${APP_ORIGIN}/`;
}
