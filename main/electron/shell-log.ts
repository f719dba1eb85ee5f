/**
 * How the shell's guards and kiosk care report what they refused or recovered: an event name
 * and a few plain fields, written to the kiosk's event log by main.ts. Never a page's full
 * address (it could carry a customer's input): `whereFrom` keeps its scheme and host only.
 */

export type ShellLog = (event: string, details: Record<string, string | number | boolean>) => void;

/** "https://example.com" for "https://example.com/a?b", "data:" for a data: URL, "?" if unparsable. */
export function whereFrom(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host === '' ? parsed.protocol : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '?';
  }
}
