/**
 * Checklist 7: the renderer's Content-Security-Policy, parsed and asserted directive by
 * directive, for the Electron shell and for the browser harness (the Chromium tests run the
 * renderer under the harness's, so they prove the shell's policy does not break the kiosk:
 * the two differ only in connect-src).
 */
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../main/ipc/content-security-policy.js';
import { securityHeaders } from '../../main/web/harness-server.js';

function parse(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name === undefined || name === '') continue;
    expect(directives.has(name), `${name} twice`).toBe(false);
    directives.set(name, values);
  }
  return directives;
}

const shell = parse(contentSecurityPolicy());

describe("the Electron shell's policy", () => {
  it("denies everything by default and runs only the app's own scripts: no inline, eval or WebAssembly", () => {
    expect(shell.get('default-src')).toEqual(["'none'"]);
    expect(shell.get('script-src')).toEqual(["'self'"]);
    const all = [...shell.values()].flat();
    for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", "'wasm-unsafe-eval'", 'data:', '*']) {
      expect(all).not.toContain(unsafe);
    }
  });

  it('takes styles from the app only, pictures from the app and the blob: URLs it made', () => {
    expect(shell.get('style-src')).toEqual(["'self'"]);
    expect(shell.get('img-src')).toEqual(["'self'", 'blob:']);
    expect(shell.get('media-src')).toEqual(["'self'", 'blob:']);
  });

  it('connects nowhere: the renderer talks to the main process over IPC only', () => {
    expect(shell.get('connect-src')).toEqual(["'none'"]);
  });

  it('allows no plugin, no <base>, no form target, and no one to frame it', () => {
    expect(shell.get('object-src')).toEqual(["'none'"]);
    expect(shell.get('base-uri')).toEqual(["'none'"]);
    expect(shell.get('form-action')).toEqual(["'none'"]);
    expect(shell.get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe("the browser harness's policy", () => {
  it('is the same policy, with its loopback WebSocket as the only difference', () => {
    const headers = securityHeaders('http://127.0.0.1:4321');
    const harness = parse(headers['Content-Security-Policy'] ?? '');
    expect(harness.get('connect-src')).toEqual(['ws://127.0.0.1:4321']);
    const withoutConnect = (m: Map<string, string[]>) =>
      [...m.entries()].filter(([name]) => name !== 'connect-src');
    expect(withoutConnect(harness)).toEqual(withoutConnect(shell));
  });
});
