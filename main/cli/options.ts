/** Option values shared by several commands, checked with messages that say what is expected. */
import { DEFAULT_THRESHOLD } from '../vendors/request.js';
import { usageError } from './cli-error.js';

export function parseThreshold(text: string | undefined): number {
  if (text === undefined) return DEFAULT_THRESHOLD;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw usageError(`--threshold must be a number from 0 to 1, not "${text}".`);
  }
  return value;
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
