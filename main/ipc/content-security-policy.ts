/**
 * The renderer's Content-Security-Policy, one definition for the Electron shell (app://) and
 * the browser harness (http://127.0.0.1), so the Chromium tests prove the policy the packaged
 * kiosk runs under. Nothing runs that the app did not ship: no inline script or style element,
 * no eval, no WebAssembly (faces are found in the main process), no plugin, no frame, no form
 * target; pictures and video come from the app, blob: URLs it made and the camera.
 */
export function contentSecurityPolicy(options: { connectSrc?: readonly string[] } = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob: mediastream:",
    "font-src 'self'",
    ['connect-src', "'self'", ...(options.connectSrc ?? [])].join(' '),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
