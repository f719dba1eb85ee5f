/**
 * The settings file as branch IT meets it: a file that names only what it changes, a file that
 * does not parse or holds values the kiosk cannot use (the defaults, and the reason), and a
 * change reaching its listeners at once and surviving a restart.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../main/settings/settings-store.js';
import { DEFAULT_KIOSK_SETTINGS } from '../../model/kiosk-settings.js';

let dir: string;
const file = (): string => join(dir, 'settings.json');
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function folder(): void {
  dir = mkdtempSync(join(tmpdir(), 'kv-settings-'));
}

describe('the settings file', () => {
  it('uses the defaults when there is none, without a problem', () => {
    folder();
    const store = new SettingsStore(file());
    expect(store.current()).toEqual(DEFAULT_KIOSK_SETTINGS);
    expect(store.problem).toBeNull();
  });

  it('completes a file that names only what it changes', () => {
    folder();
    writeFileSync(file(), JSON.stringify({ defaultLanguage: 'kk', idle: { resultSeconds: 20 } }));
    const settings = new SettingsStore(file()).current();
    expect(settings.defaultLanguage).toBe('kk');
    expect(settings.idle).toEqual({ resultSeconds: 20, otherSeconds: 90 });
    expect(settings.languages).toEqual(['en', 'ru', 'kk']);
  });

  it.each([
    ['not JSON', '{ defaultLanguage: kk', /not valid JSON/],
    ['an unknown language', '{"defaultLanguage": "fr"}', /defaultLanguage/],
    [
      'a face-size range upside down',
      '{"capture": {"selfieMinFaceRatio": 0.5, "selfieMaxFaceRatio": 0.3}}',
      /selfieMinFaceRatio must be under selfieMaxFaceRatio/,
    ],
  ])('falls back to the defaults on %s, and says why', (_what, text, why) => {
    folder();
    writeFileSync(file(), text);
    const store = new SettingsStore(file());
    expect(store.current()).toEqual(DEFAULT_KIOSK_SETTINGS);
    expect(store.problem).toMatch(why);
    expect(store.problem).toContain(file());
  });

  it('tells listeners of a change, writes it privately and keeps it across a restart', () => {
    folder();
    const store = new SettingsStore(file());
    const seen: string[] = [];
    store.onChange((settings) => seen.push(settings.camera ?? 'none'));
    store.update({ camera: 'USB Camera (046d:0825)' });
    expect(seen).toEqual(['USB Camera (046d:0825)']);
    if (process.platform !== 'win32') expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toMatchObject({
      camera: 'USB Camera (046d:0825)',
    });
    expect(new SettingsStore(file()).current().camera).toBe('USB Camera (046d:0825)');
  });

  it('refuses a bad change whole and keeps what is in force', () => {
    folder();
    const store = new SettingsStore(file());
    expect(() => store.update({ livenessThreshold: 2 })).toThrow();
    expect(store.current().livenessThreshold).toBe(DEFAULT_KIOSK_SETTINGS.livenessThreshold);
  });
});
