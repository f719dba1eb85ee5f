import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, queueDatabasePath } from '../../main/queue/store/data-dir.js';

describe('the queue’s data folder (Electron’s userData on each OS)', () => {
  it('uses $XDG_CONFIG_HOME on Linux, else ~/.config', () => {
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/srv/kiosk/config' }, '/home/kiosk')).toBe(
      '/srv/kiosk/config/Kiosk Verify',
    );
    expect(defaultDataDir('linux', {}, '/home/kiosk')).toBe('/home/kiosk/.config/Kiosk Verify');
    // The XDG spec says a relative path is to be ignored.
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: 'relative' }, '/home/kiosk')).toBe(
      '/home/kiosk/.config/Kiosk Verify',
    );
  });

  it('uses Application Support on macOS', () => {
    expect(defaultDataDir('darwin', { XDG_CONFIG_HOME: '/ignored' }, '/Users/kiosk')).toBe(
      '/Users/kiosk/Library/Application Support/Kiosk Verify',
    );
  });

  it('uses %APPDATA% on Windows, else the roaming folder under the profile', () => {
    expect(
      defaultDataDir(
        'win32',
        { APPDATA: 'C:\\Users\\kiosk\\AppData\\Roaming' },
        'C:\\Users\\kiosk',
      ),
    ).toBe('C:\\Users\\kiosk\\AppData\\Roaming\\Kiosk Verify');
    expect(defaultDataDir('win32', {}, 'C:\\Users\\kiosk')).toBe(
      'C:\\Users\\kiosk\\AppData\\Roaming\\Kiosk Verify',
    );
  });

  it('keeps the queue in one file in that folder', () => {
    // Joined with this OS's own separator (it names a real file here, unlike the pure answers
    // above): a backslash on Windows.
    expect(queueDatabasePath(join('/data', 'Kiosk Verify'))).toBe(
      join('/data', 'Kiosk Verify', 'queue.sqlite'),
    );
  });
});
