/**
 * The face-size limits as kiosk settings: the defaults here and in the settings schema are the
 * same numbers, and a bad setting is refused whole. No worker, no images.
 */
import { describe, expect, it } from 'vitest';
import {
  applyGateOverrides,
  gateOverridesFromSettings,
  type GateOverrides,
} from '../../main/capture/gate-overrides.js';
import { GATES, SELFIE_GATES } from '../../main/capture/thresholds.js';
import { DEFAULT_KIOSK_SETTINGS, KioskSettingsSchema } from '../../model/kiosk-settings.js';

describe('the selfie face-size defaults', () => {
  it('are the same in thresholds.ts and in the kiosk settings schema', () => {
    const expected = {
      selfieMinFaceRatio: SELFIE_GATES.minSizeRatio,
      selfieMaxFaceRatio: SELFIE_GATES.maxSizeRatio,
    };
    // No capture section, and a capture section that names neither: both defaults apply.
    expect(DEFAULT_KIOSK_SETTINGS.capture).toMatchObject(expected);
    expect(KioskSettingsSchema.parse({ capture: {} }).capture).toMatchObject(expected);
  });

  it('applied from the default settings, change nothing', () => {
    const fromSettings = applyGateOverrides(
      GATES,
      gateOverridesFromSettings(DEFAULT_KIOSK_SETTINGS.capture),
    );
    expect(fromSettings).toEqual(GATES);
  });
});

describe('applyGateOverrides', () => {
  it('changes only what it names, in a new object', () => {
    const next = applyGateOverrides(GATES, { selfie: { maxSizeRatio: 0.5 } });
    expect(next.selfie).toEqual({ ...SELFIE_GATES, maxSizeRatio: 0.5 });
    expect(next['id-photo']).toBe(GATES['id-photo']);
    expect(GATES.selfie.maxSizeRatio).toBe(SELFIE_GATES.maxSizeRatio);
  });

  it('takes the kiosk settings’ selfie limits', () => {
    const overrides = gateOverridesFromSettings({
      selfieMinFaceRatio: 0.12,
      selfieMaxFaceRatio: 0.7,
    });
    expect(applyGateOverrides(GATES, overrides).selfie).toMatchObject({
      minSizeRatio: 0.12,
      maxSizeRatio: 0.7,
    });
  });

  it.each([
    ['a minimum over the maximum', { selfie: { minSizeRatio: 0.6, maxSizeRatio: 0.4 } }, /under/],
    ['a minimum equal to the maximum in force', { selfie: { minSizeRatio: 0.55 } }, /under/],
    ['a ratio over 1', { selfie: { maxSizeRatio: 1.5 } }, /from 0 to 1/],
    ['a negative ratio', { 'id-photo': { minSizeRatio: -0.1 } }, /from 0 to 1/],
    ['not a number', { selfie: { minSizeRatio: Number.NaN } }, /from 0 to 1/],
    ['a string', { selfie: { minSizeRatio: '0.2' as unknown as number } }, /from 0 to 1/],
    ['an unknown role', { passport: { minSizeRatio: 0.2 } } as unknown as GateOverrides, /role/],
  ])('refuses %s with invalid-gates', (_what, overrides, reason) => {
    expect(() => applyGateOverrides(GATES, overrides)).toThrow(
      expect.objectContaining({
        code: 'invalid-gates',
        retryable: false,
        message: expect.stringMatching(reason),
      }),
    );
  });
});
