/**
 * Serves the renderer from app://kiosk/ instead of file://, so the pages get a real origin, a
 * strict Content-Security-Policy, and cannot read the disk.
 */
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../ipc/content-security-policy.js';
import { APP_SCHEME } from './app-origin.js';
import { rendererFileFor } from './renderer-path.js';

export { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME } from './app-origin.js';

/** The shell's policy: connect-src 'none' (the renderer talks to main over IPC only). */
const CSP = contentSecurityPolicy();

/** Must run before app 'ready'. */
export function registerAppSchemeAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves files below `rendererDir` (renderer-path.ts); anything else is a 404. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFileFor(rendererDir, request.url);
    if (file === null) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
