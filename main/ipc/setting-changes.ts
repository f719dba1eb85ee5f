/**
 * What changed between two settings, one entry per setting path, as the audit trail records
 * it ("settings-changed": key, old and new value). A list is one setting, written "en, ru".
 * Settings never hold secrets (credentials live in the keychain), and the audit schema refuses
 * anything that looks like one.
 */
import type { KioskSettings } from '../../model/kiosk-settings.js';

type Plain = string | number | boolean | null;
export interface SettingChange {
  key: string;
  oldValue: Plain;
  newValue: Plain;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function flatten(value: Json, prefix = '', out = new Map<string, Plain>()): Map<string, Plain> {
  for (const [key, inner] of Object.entries(value)) {
    if (isObject(inner)) flatten(inner, `${prefix}${key}.`, out);
    else out.set(`${prefix}${key}`, plain(inner));
  }
  return out;
}

function plain(value: unknown): Plain {
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
    return value as Plain;
  return String(value);
}

export function settingChanges(before: KioskSettings, after: KioskSettings): SettingChange[] {
  const old = flatten(before as unknown as Json);
  const next = flatten(after as unknown as Json);
  const changes: SettingChange[] = [];
  for (const [key, newValue] of next) {
    const oldValue = old.get(key) ?? null;
    if (oldValue !== newValue) changes.push({ key, oldValue, newValue });
  }
  return changes;
}
