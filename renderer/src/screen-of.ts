/**
 * Which screen the machine's state shows. Each screen's root element carries its name as
 * `data-screen`, for the end-to-end tests and for staff reading a screenshot.
 */
import { roleOf, type KioskSnapshot } from './kiosk-machine.js';

export const SCREENS = [
  'starting',
  'attract',
  'consent',
  'id-photo',
  'selfie',
  'review',
  'sending',
  'result-verified',
  'result-staff',
  'result-not-verified',
  'result-queued',
  'camera-problem',
  'unavailable',
  /** The staff console; its PIN screens carry data-screen="staff-pin" inside it. */
  'staff-console',
  'staff-pin',
] as const;
export type ScreenName = (typeof SCREENS)[number];

export function screenOf(snapshot: KioskSnapshot): ScreenName {
  if (snapshot.matches({ flow: 'attract' })) return 'attract';
  if (snapshot.matches({ flow: 'staff' })) return 'staff-console';
  if (snapshot.matches({ flow: 'consent' })) return 'consent';
  if (snapshot.matches({ flow: { capture: { live: 'review' } } })) return 'review';
  if (snapshot.matches({ flow: 'capture' })) return roleOf(snapshot.context);
  if (snapshot.matches({ flow: 'sending' })) return 'sending';
  if (snapshot.matches({ flow: { result: 'verified' } })) return 'result-verified';
  if (snapshot.matches({ flow: { result: 'notVerified' } })) return 'result-not-verified';
  if (snapshot.matches({ flow: { result: 'queued' } })) return 'result-queued';
  if (snapshot.matches({ flow: 'result' })) return 'result-staff';
  if (snapshot.matches({ flow: 'cameraProblem' })) return 'camera-problem';
  if (snapshot.matches({ flow: 'unavailable' })) return 'unavailable';
  return 'starting';
}
