/**
 * Which keys the kiosk swallows before the page sees them (`before-input-event`). With no
 * application menu most of these do nothing in Electron already; they are refused here too so
 * that a menu added later, a platform default or a Chromium shortcut cannot open devtools,
 * reload a customer's half-finished verification, zoom the layout apart or close the kiosk.
 */
import type { Input } from 'electron';

/** What a blocked shortcut would have done, for the log. */
export type BlockedShortcut =
  'devtools' | 'reload' | 'zoom' | 'close-or-quit' | 'leave-fullscreen' | 'browser-command';

/**
 * The fields of Electron's Input the decision reads. Key down and key up alike: swallowing
 * only one half of a shortcut would leave the page a stray key-up.
 */
export type KeyInput = Pick<Input, 'key' | 'code' | 'control' | 'meta' | 'alt' | 'shift'>;

const ZOOM_KEYS = new Set(['+', '=', '-', '_', '0']);
const ZOOM_CODES = new Set(['NumpadAdd', 'NumpadSubtract', 'Numpad0', 'Equal', 'Minus', 'Digit0']);
/** Ctrl/Cmd + letter: print, save page, open file, new window, new tab, find, view source, quit. */
const BROWSER_LETTERS = new Set(['p', 's', 'o', 'n', 't', 'f', 'g', 'u', 'h', 'm', 'l', 'd']);

/**
 * The shortcut `input` would trigger if it is one the kiosk refuses in production, else null.
 * In development nothing is refused (developers need devtools and reload).
 */
export function blockedShortcut(input: KeyInput, development: boolean): BlockedShortcut | null {
  if (development) return null;
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key;
  // Ctrl on Windows and Linux, Cmd on macOS: refuse both everywhere (a USB keyboard is a USB
  // keyboard whatever the OS).
  const command = input.control || input.meta;

  if (key === 'F12') return 'devtools';
  if (command && input.shift && ['i', 'j', 'c'].includes(key)) return 'devtools';
  if (command && input.alt && ['i', 'j', 'c'].includes(key)) return 'devtools'; // macOS
  if (key === 'F5' || key === 'BrowserRefresh') return 'reload';
  if (command && key === 'r') return 'reload';
  if (command && (ZOOM_KEYS.has(key) || ZOOM_CODES.has(input.code))) return 'zoom';
  if (key === 'F11') return 'leave-fullscreen';
  if (input.meta && input.control && key === 'f') return 'leave-fullscreen'; // macOS
  if (input.alt && key === 'F4') return 'close-or-quit';
  if (command && (key === 'w' || key === 'q')) return 'close-or-quit';
  if (command && key === 'F4') return 'close-or-quit';
  if (command && BROWSER_LETTERS.has(key)) return 'browser-command';
  if (key === 'BrowserBack' || key === 'BrowserForward' || key === 'BrowserHome') {
    return 'browser-command';
  }
  if (input.alt && (key === 'ArrowLeft' || key === 'ArrowRight')) return 'browser-command';
  return null;
}
