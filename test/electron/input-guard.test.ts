/** The keys a production kiosk swallows (before-input-event), and the ones it must not. */
import { describe, expect, it } from 'vitest';
import { blockedShortcut, type KeyInput } from '../../main/electron/input-guard.js';

function key(k: string, mods: Partial<KeyInput> = {}): KeyInput {
  return { key: k, code: '', control: false, meta: false, alt: false, shift: false, ...mods };
}

describe('before-input-event in production', () => {
  it.each([
    ['F12', key('F12')],
    ['Ctrl+Shift+I', key('I', { control: true, shift: true })],
    ['Ctrl+Shift+J', key('J', { control: true, shift: true })],
    ['Ctrl+Shift+C', key('C', { control: true, shift: true })],
    ['Cmd+Alt+I', key('i', { meta: true, alt: true })],
  ])('refuses the devtools shortcut %s', (_name, input) => {
    expect(blockedShortcut(input, false)).toBe('devtools');
  });

  it.each([
    ['F5', key('F5')],
    ['Ctrl+R', key('r', { control: true })],
    ['Ctrl+Shift+R', key('R', { control: true, shift: true })],
    ['Cmd+R', key('r', { meta: true })],
  ])('refuses the reload shortcut %s', (_name, input) => {
    expect(blockedShortcut(input, false)).toBe('reload');
  });

  it.each([
    ['Ctrl++', key('+', { control: true, shift: true })],
    ['Ctrl+=', key('=', { control: true })],
    ['Ctrl+-', key('-', { control: true })],
    ['Ctrl+0', key('0', { control: true })],
    ['Ctrl+numpad +', key('+', { control: true, code: 'NumpadAdd' })],
  ])('refuses the zoom shortcut %s', (_name, input) => {
    expect(blockedShortcut(input, false)).toBe('zoom');
  });

  it.each([
    ['Alt+F4', key('F4', { alt: true })],
    ['Ctrl+W', key('w', { control: true })],
    ['Ctrl+Q', key('q', { control: true })],
    ['Cmd+Q', key('q', { meta: true })],
  ])('refuses closing or quitting with %s', (_name, input) => {
    expect(blockedShortcut(input, false)).toBe('close-or-quit');
  });

  it('refuses leaving full screen, printing, saving the page and going back', () => {
    expect(blockedShortcut(key('F11'), false)).toBe('leave-fullscreen');
    expect(blockedShortcut(key('p', { control: true }), false)).toBe('browser-command');
    expect(blockedShortcut(key('s', { control: true }), false)).toBe('browser-command');
    expect(blockedShortcut(key('ArrowLeft', { alt: true }), false)).toBe('browser-command');
    expect(blockedShortcut(key('BrowserBack'), false)).toBe('browser-command');
  });

  it('lets typing and editing through: letters, digits, Enter, Escape, Tab, Backspace, copy and paste', () => {
    for (const input of [
      key('a'),
      key('A', { shift: true }),
      key('0'),
      key('-'),
      key('Enter'),
      key('Escape'),
      key('Tab'),
      key('Backspace'),
      key('ArrowLeft'),
      key('c', { control: true }),
      key('v', { control: true }),
      key('x', { control: true }),
      key('a', { control: true }),
      key('z', { control: true }),
      key('ж'),
      key('ә'),
    ]) {
      expect(blockedShortcut(input, false), JSON.stringify(input)).toBeNull();
    }
  });
});

describe('before-input-event in development', () => {
  it('refuses nothing: developers need devtools and reload', () => {
    expect(blockedShortcut(key('F12'), true)).toBeNull();
    expect(blockedShortcut(key('r', { control: true }), true)).toBeNull();
  });
});
