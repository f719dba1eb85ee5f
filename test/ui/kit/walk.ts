/**
 * Steps of the customer's way as a customer takes them, for the Chromium suites: the screen on
 * view, the buttons by their test ids, the guidance text. Each wait names what it waited for.
 */
import type { Page } from 'playwright-core';
import en from '../../../renderer/src/i18n/en.json' with { type: 'json' };

/** The screen on view (its root's data-screen), waiting until one is there. */
export async function currentScreen(page: Page): Promise<string> {
  const root = page.locator('[data-screen]').first();
  await root.waitFor({ state: 'visible' });
  return (await root.getAttribute('data-screen')) ?? '';
}

export async function waitForScreen(page: Page, name: string, timeout = 30_000): Promise<void> {
  await page.locator(`[data-screen="${name}"]`).waitFor({ state: 'visible', timeout });
}

/** Waits for any result screen and returns its name. */
export async function waitForResult(page: Page, timeout = 60_000): Promise<string> {
  const root = page.locator('[data-screen^="result-"]');
  await root.waitFor({ state: 'visible', timeout });
  return (await root.getAttribute('data-screen')) ?? '';
}

export async function press(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).click();
}

/** Opens the kiosk and starts a session up to the consent screen. */
export async function openAndStart(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitForScreen(page, 'attract');
  await press(page, 'start');
  await waitForScreen(page, 'consent');
}

/** The English guidance text for a role and verdict, as the catalogue words it. */
export function englishGuidance(role: 'selfie' | 'id-photo', verdict: string): string {
  const table = en.guidance[role] as Record<string, string>;
  const text = table[verdict];
  if (text === undefined) throw new Error(`no English guidance for ${role}.${verdict}`);
  return text;
}

/** Waits until the guidance line shows `text`. */
export async function waitForGuidance(page: Page, text: string, timeout = 20_000): Promise<void> {
  await page
    .getByTestId('guidance')
    .filter({ hasText: text })
    .waitFor({ state: 'visible', timeout });
}

/**
 * Text on screen that looks like a catalogue key (`consent.title`, `guidance.selfie.ok`):
 * i18next shows the key itself when a language lacks it.
 */
export async function visibleCatalogueKeys(page: Page): Promise<string[]> {
  const text = await page.locator('body').innerText();
  const sections = Object.keys(en).join('|');
  const pattern = new RegExp(`\\b(?:${sections})\\.[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\b`, 'g');
  return text.match(pattern) ?? [];
}

/** Polls `check` until it returns true (e.g. a queue state), or fails naming `what`. */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeout = 30_000,
): Promise<void> {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeout} ms waiting for: ${what}`);
}
