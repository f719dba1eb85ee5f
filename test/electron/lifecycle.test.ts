/**
 * The app's lifecycle decisions: quitting waits for the queue to close (with a deadline), the
 * window cannot be closed by hand while the kiosk runs, start at login is asked for on the
 * command line or in the environment, and downloads go nowhere but the Downloads folder.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { downloadSavePath } from '../../main/electron/downloads.js';
import {
  isDevelopment,
  mayCloseWindow,
  QuitSequence,
  startAtLoginWish,
} from '../../main/electron/lifecycle.js';
import { FakeEvent } from './fake-electron.js';

function sequence(close: () => Promise<void>) {
  const exits: number[] = [];
  const logged: string[] = [];
  let fireTimeout: (() => void) | null = null;
  const quit = new QuitSequence({
    close,
    exit: (code) => exits.push(code),
    log: (event) => logged.push(event),
    setTimeout: (run) => (fireTimeout = run),
  });
  return { quit, exits, logged, timeout: () => fireTimeout?.() };
}

describe('quitting', () => {
  it('holds the quit until the kiosk has closed, then exits 0', async () => {
    let finish!: () => void;
    let closes = 0;
    const s = sequence(() => {
      closes += 1;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    const first = new FakeEvent();
    const second = new FakeEvent();
    s.quit.beforeQuit(first);
    s.quit.beforeQuit(second); // a second Quit while closing
    expect(first.prevented && second.prevented).toBe(true);
    expect(s.quit.quitting).toBe(true);
    expect(closes).toBe(1);
    await Promise.resolve();
    expect(s.exits).toEqual([]);
    finish();
    await s.quit.done;
    expect(s.exits).toEqual([0]);
  });

  it('exits 1 after the deadline when the queue does not close, and says so', async () => {
    const s = sequence(() => new Promise<void>(() => undefined));
    s.quit.beforeQuit(new FakeEvent());
    s.timeout();
    await s.quit.done;
    expect(s.exits).toEqual([1]);
    expect(s.logged).toEqual(['quit-close-timed-out']);
  });

  it('exits 1 when closing fails, and logs why', async () => {
    const s = sequence(() => Promise.reject(new Error('disk gone')));
    s.quit.beforeQuit(new FakeEvent());
    await s.quit.done;
    expect(s.exits).toEqual([1]);
    expect(s.logged).toEqual(['quit-close-failed']);
  });
});

describe('closing the window', () => {
  it('is refused in production unless the app is quitting; allowed in development', () => {
    expect(mayCloseWindow(false, false)).toBe(false);
    expect(mayCloseWindow(true, false)).toBe(true);
    expect(mayCloseWindow(false, true)).toBe(true);
  });

  it('a packaged app is never in development; an unpackaged one is unless asked to lock down', () => {
    expect(isDevelopment(true, {})).toBe(false);
    expect(isDevelopment(false, {})).toBe(true);
    expect(isDevelopment(false, { KIOSK_VERIFY_LOCKDOWN: '1' })).toBe(false);
  });
});

describe('start at login', () => {
  it('is asked for by a flag or the environment, the flag winning; otherwise left alone', () => {
    expect(startAtLoginWish(['--start-at-login'], {})).toBe(true);
    expect(startAtLoginWish(['--no-start-at-login'], { KIOSK_VERIFY_START_AT_LOGIN: '1' })).toBe(
      false,
    );
    expect(startAtLoginWish([], { KIOSK_VERIFY_START_AT_LOGIN: '1' })).toBe(true);
    expect(startAtLoginWish([], { KIOSK_VERIFY_START_AT_LOGIN: '0' })).toBe(false);
    expect(startAtLoginWish([], { KIOSK_VERIFY_START_AT_LOGIN: 'yes' })).toBeNull();
    expect(startAtLoginWish([], {})).toBeNull();
  });
});

describe('downloads', () => {
  const dir = join('/home', 'kiosk', 'Downloads');

  it("saves our own page's blob: export straight into Downloads (no save dialog)", () => {
    expect(downloadSavePath('blob:app://kiosk/1b2c', 'audit-2026-12-02.csv', dir)).toBe(
      join(dir, 'audit-2026-12-02.csv'),
    );
  });

  it('keeps the file name plain: no folders, no hidden or empty name', () => {
    expect(downloadSavePath('blob:app://kiosk/1', '../../.bashrc', dir)).toBe(join(dir, 'bashrc'));
    expect(downloadSavePath('blob:app://kiosk/1', 'C:\\Windows\\evil.bat', dir)).toBe(
      join(dir, 'evil.bat'),
    );
    expect(downloadSavePath('blob:app://kiosk/1', '', dir)).toBe(
      join(dir, 'kiosk-verify-download'),
    );
  });

  it('refuses every other download', () => {
    for (const url of [
      'https://example.com/tool.exe',
      'blob:https://example.com/1',
      'data:application/octet-stream,x',
      'app://kiosk/index.html',
      'file:///etc/passwd',
    ]) {
      expect(downloadSavePath(url, 'x.txt', dir), url).toBeNull();
    }
  });
});
