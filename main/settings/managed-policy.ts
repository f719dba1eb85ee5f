/**
 * The managed policy file: a bank's IT sets any setting for a whole fleet, as Chrome's
 * enterprise policies do. A key in the policy wins over settings.json and shows as locked in
 * the staff console; the console cannot change it. The file is the operating system's, outside
 * the app's data folder, writable by administrators only:
 *   Linux    /etc/kiosk-verify/policy.json
 *   Windows  %ProgramData%\Kiosk Verify\policy.json
 *   macOS    /Library/Application Support/Kiosk Verify/policy.json
 * It has the shape of settings.json and names only what it manages, e.g.
 *   { "livenessThreshold": 0.7, "idle": { "resultSeconds": 20 }, "training": false }
 * A policy that cannot be used (unreadable, not JSON, a value out of range) is ignored as a
 * whole with a problem the console and the event log show: never half applied, never silent.
 * A key the kiosk does not know is ignored and named the same way (a typo must be visible).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_KIOSK_SETTINGS } from '../../model/kiosk-settings.js';

/** Where the operating system keeps the policy for this platform. */
export function defaultPolicyFile(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (platform === 'win32') {
    return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Kiosk Verify', 'policy.json');
  }
  if (platform === 'darwin') return '/Library/Application Support/Kiosk Verify/policy.json';
  return '/etc/kiosk-verify/policy.json';
}

export interface ManagedPolicy {
  /** The policy's values, only the keys it manages (nested as in settings.json). */
  values: Record<string, unknown>;
  /** Each managed setting as a dotted path (idle.resultSeconds); a list value is one setting. */
  locked: string[];
  /** Why the policy, or part of it, is not applied; null when all of it is. */
  problem: string | null;
}

export const NO_POLICY: ManagedPolicy = { values: {}, locked: [], problem: null };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The setting paths a settings object names: leaves, with lists as one leaf. */
export function settingPaths(value: Json, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, inner]) =>
    isObject(inner) ? settingPaths(inner, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

/** Every setting the kiosk knows, as paths. */
const KNOWN_PATHS = new Set(settingPaths(DEFAULT_KIOSK_SETTINGS as unknown as Json));

/** `values` with only the paths in `keep`. */
function pick(values: Json, keep: Set<string>, prefix = ''): Json {
  const out: Json = {};
  for (const [key, inner] of Object.entries(values)) {
    const at = `${prefix}${key}`;
    if (keep.has(at)) out[key] = inner;
    else if (isObject(inner)) {
      const nested = pick(inner, keep, `${at}.`);
      if (Object.keys(nested).length > 0) out[key] = nested;
    }
  }
  return out;
}

/** `over` laid on `base`, objects merged key by key, anything else replaced. */
export function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = out[key];
    out[key] = isObject(under) && isObject(value) ? deepMerge(under, value) : value;
  }
  return out;
}

/**
 * Reads the policy file; a missing file is no policy. `validate` checks the values against
 * the settings schema (returns why they cannot be used, or null).
 */
export function readManagedPolicy(
  file: string | null,
  validate: (values: Json) => string | null,
): ManagedPolicy {
  if (file === null) return NO_POLICY;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return NO_POLICY;
    return ignored(`${file} cannot be read (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return ignored(`${file} is not valid JSON`);
  }
  if (!isObject(json)) return ignored(`${file} is not a JSON object of settings`);
  const paths = settingPaths(json);
  const unknown = paths.filter((at) => !KNOWN_PATHS.has(at));
  const known = new Set(paths.filter((at) => KNOWN_PATHS.has(at)));
  const values = pick(json, known);
  const invalid = validate(values);
  if (invalid !== null) return ignored(`${file} has values this kiosk cannot use (${invalid})`);
  return {
    values,
    locked: [...known].sort(),
    problem:
      unknown.length === 0
        ? null
        : `${file} names settings this kiosk does not have (${unknown.join(', ')}); they are ignored.`,
  };
}

function ignored(why: string): ManagedPolicy {
  return {
    ...NO_POLICY,
    problem: `${why}; the bank's policy is not applied, the kiosk's own settings are. Ask IT to fix the policy file.`,
  };
}
