/**
 * The renderer's Content-Security-Policy, one builder for the Electron shell (app://kiosk,
 * main/electron/app-protocol.ts) and the browser harness (http://127.0.0.1, main/web/), so the
 * Chromium tests prove the policy the packaged kiosk runs under. The two differ in one place,
 * on purpose and visibly: `connect-src`. In Electron the renderer talks to the main process
 * over IPC and connects to nothing ('none'); the harness gives it its loopback WebSocket.
 *
 * Nothing runs that the app did not ship: no inline script or style element, no eval and no
 * WebAssembly ('wasm-unsafe-eval' is left out: faces are found in the main process's worker,
 * the renderer runs no WebAssembly), no plugin, no frame, no worker, no form target, no <base>.
 * Pictures come from the app and from blob: URLs it made (the captured still). The camera's
 * <video> plays a MediaStream through srcObject, which media-src does not govern, so neither
 * mediastream: nor data: is allowed anywhere. No fonts are shipped (system fonts only).
 */

/** The directives, in order; `connect-src` is filled in per host (see above). */
export const RENDERER_CSP_DIRECTIVES: readonly (readonly [string, ...string[]])[] = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self'", 'blob:'],
  ['media-src', "'self'", 'blob:'],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
  ['object-src', "'none'"],
];

export interface ContentSecurityPolicyOptions {
  /**
   * What the page may connect to (fetch, WebSocket). Electron: nothing (the default, 'none').
   * The browser harness: its ws://127.0.0.1:PORT socket.
   */
  connectSrc?: readonly string[];
}

export function contentSecurityPolicy(options: ContentSecurityPolicyOptions = {}): string {
  const connect = options.connectSrc ?? [];
  return [
    ...RENDERER_CSP_DIRECTIVES.map((directive) => directive.join(' ')),
    ['connect-src', ...(connect.length === 0 ? ["'none'"] : connect)].join(' '),
  ].join('; ');
}
