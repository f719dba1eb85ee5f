/**
 * What the staff console tells the audit trail, through the `onEvent` hook of its options (the
 * audit room wires it; this room does not know it). Details are plain values chosen one by one:
 * never the PIN, a part of it, or its hash.
 */
export interface StaffEventDetails {
  /** A PIN was set: the first one, changed by staff, or reset by IT (`kiosk-verify staff`). */
  'pin-set': { how: 'first' | 'changed' | 'reset'; lockCleared: boolean };
  /** A wrong PIN: tries left before the lockout (0 on the try that locks). */
  'pin-failed': { triesLeft: number };
  /** Too many wrong PINs: the console refuses every PIN until this time (ISO 8601). */
  'staff-locked-out': { until: string; failedTries: number };
  'staff-signed-in': { idleMs: number };
  /** `idle`: nobody touched the console for idleMs; `signed-out`: signOut() (or a customer). */
  'staff-signed-out': { reason: StaffSignOutReason };
}

export type StaffSignOutReason = 'idle' | 'signed-out';

export type StaffEventType = keyof StaffEventDetails;

/** The audit hook. It must not throw; if it does, the console carries on (see emitStaffEvent). */
export type StaffEventHook = (
  type: StaffEventType,
  details: Readonly<Record<string, string | number | boolean>>,
) => void;

/**
 * Calls the hook. A hook that throws must neither lock staff out nor let a wrong PIN through,
 * so its error is dropped here; the audit room reports its own failures.
 */
export function emitStaffEvent<T extends StaffEventType>(
  hook: StaffEventHook | undefined,
  type: T,
  details: StaffEventDetails[T],
): void {
  try {
    hook?.(type, details);
  } catch {
    // See above: the audit trail's trouble is not the PIN check's.
  }
}
