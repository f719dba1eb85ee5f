/**
 * Which file of the built renderer an app:// request names, or null (a 404): only app://kiosk,
 * only files below the renderer's folder (no "..", no encoded slashes out of it), never a
 * malformed escape. Pure, so app-protocol.ts stays glue and this is unit-tested.
 */
import { join, normalize, sep } from 'node:path';
import { isAppUrl } from './app-origin.js';

export function rendererFileFor(rendererDir: string, requestUrl: string): string | null {
  if (!isAppUrl(requestUrl)) return null;
  const root = normalize(rendererDir + sep);
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const file = normalize(join(root, pathname === '/' ? '/index.html' : pathname));
  return file.startsWith(root) ? file : null;
}
