/**
 * Checklist 17: every IPC message is checked for who sent it before anything reads its
 * payload. Only the main frame of one of our own app://kiosk pages may call the contract; a
 * sub-frame, a page that navigated elsewhere, or a frame already gone (senderFrame null) is
 * refused. main/ipc/dispatch.ts then validates the payload itself.
 */
import type { WebFrameMain } from 'electron';
import { isAppUrl } from './app-origin.js';

/** The fields of the sender's frame the check reads. */
export type SenderFrame = Pick<WebFrameMain, 'url' | 'parent'>;

export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (frame === null || frame === undefined) return false;
  return frame.parent === null && isAppUrl(frame.url);
}
