/**
 * The bank's managed policy as branch IT meets it: a managed value wins over settings.json and
 * is locked (the console cannot change it, other settings it can), a policy that cannot be
 * used is ignored whole with a reason, a typo'd key is named, and each platform's place.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicyFile } from '../../main/settings/managed-policy.js';
import { SettingsLockedError, SettingsStore } from '../../main/settings/settings-store.js';
import { DEFAULT_KIOSK_SETTINGS } from '../../model/kiosk-settings.js';

let dir: string;
const settingsFile = (): string => join(dir, 'settings.json');
const policyFile = (): string => join(dir, 'policy.json');
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kv-policy-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(file: string, value: unknown): void {
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
}

function open(): SettingsStore {
  return new SettingsStore(settingsFile(), { policyFile: policyFile() });
}

describe('the managed policy', () => {
  it('wins over settings.json and lists what it locks, down to one nested key', () => {
    write(settingsFile(), {
      livenessThreshold: 0.5,
      idle: { resultSeconds: 45, otherSeconds: 120 },
    });
    write(policyFile(), { livenessThreshold: 0.75, idle: { resultSeconds: 20 } });
    const store = open();
    expect(store.current().livenessThreshold).toBe(0.75);
    expect(store.current().idle).toEqual({ resultSeconds: 20, otherSeconds: 120 });
    expect(store.locked).toEqual(['idle.resultSeconds', 'livenessThreshold']);
    expect(store.policyProblem).toBeNull();
  });

  it('refuses a change to a managed setting, changes nothing, and allows the others', () => {
    write(policyFile(), { livenessThreshold: 0.75, idle: { resultSeconds: 20 } });
    const store = open();
    const seen: number[] = [];
    store.onChange((next) => seen.push(next.livenessThreshold));
    expect(() => store.update({ livenessThreshold: 0.5 })).toThrow(SettingsLockedError);
    expect(() => store.update({ idle: { resultSeconds: 60, otherSeconds: 90 } })).toThrow(
      /idle\.resultSeconds is set by the bank's policy/,
    );
    expect(seen).toEqual([]);
    expect(store.current().livenessThreshold).toBe(0.75);

    // Another setting, and the managed one sent back unchanged (the console's whole form).
    store.update({ defaultLanguage: 'kk', idle: { resultSeconds: 20, otherSeconds: 300 } });
    expect(store.current()).toMatchObject({
      defaultLanguage: 'kk',
      livenessThreshold: 0.75,
      idle: { resultSeconds: 20, otherSeconds: 300 },
    });
    // settings.json keeps the kiosk's own values; the policy is never copied into it.
    const saved = JSON.parse(readFileSync(settingsFile(), 'utf8'));
    expect(saved.livenessThreshold).toBe(DEFAULT_KIOSK_SETTINGS.livenessThreshold);
    expect(saved.defaultLanguage).toBe('kk');
    // After a restart, the same.
    expect(open().current()).toMatchObject({ defaultLanguage: 'kk', livenessThreshold: 0.75 });
  });

  it('ignores a policy it cannot use, whole, and says why', () => {
    write(settingsFile(), { livenessThreshold: 0.5 });
    for (const broken of [
      '{ "livenessThreshold": ',
      { livenessThreshold: 7, training: true },
      '[1]',
    ]) {
      write(policyFile(), broken);
      const store = open();
      expect(store.current().livenessThreshold).toBe(0.5);
      expect(store.current().training).toBe(false); // nothing of it half applied
      expect(store.locked).toEqual([]);
      expect(store.policyProblem).toMatch(/policy is not applied.*Ask IT/);
    }
  });

  it('names a key it does not know and applies the rest', () => {
    write(policyFile(), { livenesThreshold: 0.9, training: true });
    const store = open();
    expect(store.current().training).toBe(true);
    expect(store.locked).toEqual(['training']);
    expect(store.policyProblem).toContain('livenesThreshold');
  });

  it('is no policy when the file is missing', () => {
    const store = open();
    expect(store.current()).toEqual(DEFAULT_KIOSK_SETTINGS);
    expect(store.locked).toEqual([]);
    expect(store.policyProblem).toBeNull();
  });

  it('lives where each operating system keeps machine-wide policy', () => {
    expect(defaultPolicyFile('linux')).toBe('/etc/kiosk-verify/policy.json');
    expect(defaultPolicyFile('darwin')).toBe(
      '/Library/Application Support/Kiosk Verify/policy.json',
    );
    expect(defaultPolicyFile('win32', { ProgramData: 'D:\\ProgramData' })).toBe(
      'D:\\ProgramData\\Kiosk Verify\\policy.json',
    );
  });
});
