/** Option values shared by several commands, checked with messages that say what is expected. */
import { DEFAULT_THRESHOLD } from '../../model/request.js';
import { usageError } from './cli-error.js';

/**
 * A plain decimal from 0 to 1: "0", "0.6", ".75", "1", "1.0". Not what Number() also takes
 * ("0x1", "1e0", "Infinity", " 0.5", "0b1"): a threshold is typed by a person, and anything
 * but a plain decimal is more likely a slip than a meant value.
 */
const THRESHOLD_TEXT = /^(?:0(?:\.\d+)?|1(?:\.0+)?|\.\d+)$/;

export function parseThreshold(text: string | undefined): number {
  if (text === undefined) return DEFAULT_THRESHOLD;
  if (!THRESHOLD_TEXT.test(text)) {
    throw usageError(
      `--threshold must be a plain decimal number from 0 to 1 (like 0.6), not "${text}".`,
    );
  }
  return Number(text);
}

export function parseBaseUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const url = new URL(text);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    return text;
  } catch {
    throw usageError(`--base-url must be an http(s) address, not "${text}".`);
  }
}
