/**
 * Downloads: the staff console saves an audit export as a blob: URL it made; nothing else may
 * download. A save dialog is a file browser, a known way out of a kiosk, so an allowed
 * download goes straight to the OS account's Downloads folder under its own plain file name.
 */
import { basename, join } from 'node:path';
import { isAppUrl } from './app-origin.js';

/** Where to save a download from `url`, or null to refuse it. */
export function downloadSavePath(
  url: string,
  suggestedName: string,
  downloadsDir: string,
): string | null {
  if (!url.startsWith('blob:') || !isAppUrl(url.slice('blob:'.length))) return null;
  // The page names the file: keep its last path part, drop anything a shell or Explorer reads
  // specially, never a hidden or empty name.
  const cleaned = basename(suggestedName.replace(/\\/g, '/'))
    .replace(/[^\p{L}\p{N} ._()-]/gu, '_')
    .replace(/^[.\s]+/, '')
    .slice(0, 120);
  return join(downloadsDir, cleaned === '' ? 'kiosk-verify-download' : cleaned);
}
