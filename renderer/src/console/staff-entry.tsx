/**
 * The ways into the console, for staff only: a long press (about two seconds, held) on an
 * invisible corner of the attract screen, or Ctrl+Shift+S (Ctrl+Alt+S too). A customer's tap
 * on the corner does nothing; a keyboard's Enter on it (it is focusable, and shows itself when
 * focused) opens the console, as a keyboard has no long press. The machine accepts STAFF on the
 * attract screen only, so the shortcut does nothing mid-session.
 */
import { useEffect, useRef } from 'react';
import type { KioskMachineEvent } from '../kiosk-machine.js';
import { useConsoleWords } from './format.js';

/** Long enough that a customer's tap or a brush of the corner never opens it. */
export const LONG_PRESS_MS = 2000;

/** Ctrl+Shift+S or Ctrl+Alt+S, by the key's place (KeyS), so a Russian layout works too. */
export function isStaffShortcut(event: KeyboardEvent): boolean {
  return (
    event.ctrlKey &&
    (event.shiftKey || event.altKey) &&
    !event.metaKey &&
    (event.code === 'KeyS' || event.key.toLowerCase() === 's')
  );
}

export function useStaffShortcut(send: (event: KioskMachineEvent) => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (!isStaffShortcut(event)) return;
      event.preventDefault();
      send({ type: 'STAFF' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [send]);
}

export function StaffCorner({ send }: { send: (event: KioskMachineEvent) => void }) {
  const { t } = useConsoleWords();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const cancel = (): void => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
  };
  useEffect(() => cancel, []);
  return (
    <button
      type="button"
      className="staff-corner"
      data-testid="staff-corner"
      aria-label={t('entry.label')}
      onPointerDown={(event) => {
        cancel();
        event.currentTarget.setPointerCapture?.(event.pointerId);
        timer.current = setTimeout(() => {
          timer.current = null;
          send({ type: 'STAFF' });
        }, LONG_PRESS_MS);
      }}
      onPointerUp={cancel}
      onPointerCancel={cancel}
      onLostPointerCapture={cancel}
      onContextMenu={(event) => event.preventDefault()}
      onClick={(event) => {
        // detail 0: Enter or Space, not a touch. A touch must be held instead.
        if (event.detail === 0) send({ type: 'STAFF' });
      }}
    />
  );
}
