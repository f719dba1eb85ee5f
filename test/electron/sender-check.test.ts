/**
 * Checklist 17: only the main frame of our own app://kiosk page may call the contract; and the
 * one origin test every guard shares, plus the app:// protocol's file mapping (checklist 18).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppOrigin, isAppUrl } from '../../main/electron/app-origin.js';
import { rendererFileFor } from '../../main/electron/renderer-path.js';
import { isTrustedSender, type SenderFrame } from '../../main/electron/sender-check.js';

function frame(url: string, parent: SenderFrame['parent'] = null): SenderFrame {
  return { url, parent };
}

describe('the IPC sender check', () => {
  it('trusts the main frame of our page', () => {
    expect(isTrustedSender(frame('app://kiosk/index.html'))).toBe(true);
    expect(isTrustedSender(frame('app://kiosk/index.html#/staff'))).toBe(true);
  });

  it('refuses a frame that is gone, a sub-frame, and every other origin', () => {
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    const top = frame('app://kiosk/index.html') as SenderFrame['parent'];
    expect(isTrustedSender(frame('app://kiosk/inner.html', top))).toBe(false);
    for (const url of [
      '',
      'https://evil.example/',
      'file:///app/index.html',
      'data:text/html,x',
      'about:blank',
      'app://kiosk.evil/',
      'app://evil/kiosk/',
      'app://user@kiosk/',
      'app://kiosk:1/',
      'http://127.0.0.1:5173/',
    ]) {
      expect(isTrustedSender(frame(url)), url).toBe(false);
    }
  });
});

describe('our origin', () => {
  it('is app://kiosk, as a URL and as a serialized origin', () => {
    expect(isAppUrl('app://kiosk/x')).toBe(true);
    expect(isAppOrigin('app://kiosk')).toBe(true);
    expect(isAppOrigin('app://kiosk/')).toBe(true);
    expect(isAppOrigin('app://kiosk/x')).toBe(false);
    expect(isAppOrigin('null')).toBe(false);
    expect(isAppOrigin(undefined)).toBe(false);
  });
});

describe('the app:// protocol serves the renderer folder and nothing else', () => {
  const root = join('/opt', 'kiosk', 'renderer');

  it('maps our pages to files below the renderer folder', () => {
    expect(rendererFileFor(root, 'app://kiosk/')).toBe(join(root, 'index.html'));
    expect(rendererFileFor(root, 'app://kiosk/assets/index-1.js')).toBe(
      join(root, 'assets', 'index-1.js'),
    );
  });

  it("resolves dot segments inside the folder: /../../secret is the folder's own /secret", () => {
    expect(rendererFileFor(root, 'app://kiosk/%2e%2e/%2e%2e/secret')).toBe(join(root, 'secret'));
    expect(rendererFileFor(root, 'app://kiosk/../../etc/passwd')).toBe(join(root, 'etc', 'passwd'));
  });

  it('refuses other hosts, escapes from the folder and malformed escapes', () => {
    expect(rendererFileFor(root, 'app://other/index.html')).toBeNull();
    expect(rendererFileFor(root, 'app://kiosk/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(rendererFileFor(root, 'app://kiosk/%E0%A4%A')).toBeNull();
    expect(rendererFileFor(root, 'app://kiosk/a%00b')).toBeNull();
  });
});
