/**
 * The gates a kiosk may set for itself: the face-size range per role (the walk-up distance
 * depends on where the kiosk stands and on its camera's lens). Checked before anything
 * changes, so a bad setting is refused whole and the gates in force stay as they were.
 */
import type { KioskSettings } from '../../model/kiosk-settings.js';
import { QualitySettingsSchema, type QualitySettings } from '../../model/quality-settings.js';
import { CaptureError } from './capture-error.js';
import type { GateThresholds } from './thresholds.js';
import { CAPTURE_ROLES, type CaptureRole } from './types.js';

/** Face width / the frame's shorter side: under min is too far, over max too close. */
export interface SizeGates {
  minSizeRatio: number;
  maxSizeRatio: number;
}

/** Per role, the size limits to change; what is left out keeps its value. */
export type GateOverrides = { readonly [Role in CaptureRole]?: Partial<SizeGates> };

export type RoleGates = Readonly<Record<CaptureRole, Readonly<GateThresholds>>>;

/**
 * `current` with `overrides` applied, or a CaptureError ('invalid-gates') naming the first bad
 * value: an unknown role, a limit that is not a number from 0 to 1, or a minimum not under the
 * maximum.
 */
export function applyGateOverrides(current: RoleGates, overrides: GateOverrides): RoleGates {
  if (typeof overrides !== 'object' || overrides === null) {
    throw invalid('the face-size limits must be given per role, e.g. { selfie: { ... } }');
  }
  for (const role of Object.keys(overrides)) {
    if (!(CAPTURE_ROLES as readonly string[]).includes(role)) {
      throw invalid(`"${role}" is not a capture role (${CAPTURE_ROLES.join(', ')})`);
    }
  }
  const next = { ...current };
  for (const role of CAPTURE_ROLES) {
    const change = overrides[role];
    if (change === undefined) continue;
    next[role] = { ...current[role], ...sizeGates(role, current[role], change) };
  }
  return next;
}

/** The selfie limits from the kiosk's settings (model/kiosk-settings.ts). */
export function gateOverridesFromSettings(
  capture: Pick<KioskSettings['capture'], 'selfieMinFaceRatio' | 'selfieMaxFaceRatio'>,
): GateOverrides {
  return {
    selfie: {
      minSizeRatio: capture.selfieMinFaceRatio,
      maxSizeRatio: capture.selfieMaxFaceRatio,
    },
  };
}

function sizeGates(role: CaptureRole, current: SizeGates, change: Partial<SizeGates>): SizeGates {
  const merged = {
    minSizeRatio: change.minSizeRatio ?? current.minSizeRatio,
    maxSizeRatio: change.maxSizeRatio ?? current.maxSizeRatio,
  };
  for (const [name, value] of Object.entries(merged)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
      throw invalid(`${role} ${name} must be a number from 0 to 1, not ${String(value)}`);
    }
  }
  if (merged.minSizeRatio >= merged.maxSizeRatio) {
    throw invalid(
      `${role} minSizeRatio (${merged.minSizeRatio}) must be under maxSizeRatio (${merged.maxSizeRatio})`,
    );
  }
  return merged;
}

function invalid(reason: string): CaptureError {
  return new CaptureError(
    'invalid-gates',
    `The face-size settings were not applied: ${reason}. The previous limits stay in force.`,
  );
}

/**
 * `current` with `change` applied, checked whole by QualitySettingsSchema (model/
 * quality-settings.ts); a bad value throws CaptureError 'invalid-gates' naming it, and nothing
 * changes.
 */
export function applyQualitySettings(
  current: QualitySettings,
  change: Partial<QualitySettings>,
): QualitySettings {
  if (typeof change !== 'object' || change === null) {
    throw invalidQuality('the quality settings must be an object of thresholds');
  }
  const parsed = QualitySettingsSchema.strict().safeParse({ ...current, ...change });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalidQuality(`${issue.path.join('.') || 'settings'}: ${issue.message}`);
  }
  return parsed.data;
}

function invalidQuality(reason: string): CaptureError {
  return new CaptureError(
    'invalid-gates',
    `The face quality settings were not applied: ${reason}. The previous thresholds stay in force.`,
  );
}
