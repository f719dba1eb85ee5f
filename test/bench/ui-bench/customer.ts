/**
 * One customer's way through the kiosk, clicked through by the bench as fast as the screens
 * allow: attract -> start -> consent-agree -> selfie (the kiosk captures by itself) -> review
 * continue -> result -> done -> attract. Uses only the renderer's agreed hooks (data-screen on
 * each screen's root, data-testid on buttons).
 */
import type { Page } from 'playwright-core';

/** Generous: a loaded 2-core machine, and the camera opening for each customer. */
const STEP_TIMEOUT_MS = 30_000;

export type CustomerOutcome =
  | { ok: true; result: string }
  | { ok: false; failedAt: string; screen: string | null; error: string };

export function screenSelector(name: string): string {
  return `[data-screen="${name}"]`;
}

const RESULT_SCREENS = '[data-screen^="result-"]';

export async function currentScreen(page: Page): Promise<string | null> {
  return page
    .evaluate<string | null>(
      `document.querySelector('[data-screen]')?.getAttribute('data-screen') ?? null`,
    )
    .catch(() => null);
}

async function waitForScreen(page: Page, selector: string): Promise<void> {
  await page.locator(selector).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
}

async function click(page: Page, testId: string): Promise<void> {
  await page.locator(`[data-testid="${testId}"]`).first().click({ timeout: STEP_TIMEOUT_MS });
}

/** One whole session; never throws (a failure is reported with the step it stopped at). */
export async function runCustomer(page: Page): Promise<CustomerOutcome> {
  let step = 'attract';
  try {
    await waitForScreen(page, screenSelector('attract'));
    step = 'start';
    await click(page, 'start');
    step = 'consent';
    await waitForScreen(page, screenSelector('consent'));
    await click(page, 'consent-agree');
    step = 'selfie auto-capture';
    await waitForScreen(page, screenSelector('review'));
    step = 'review continue';
    await click(page, 'continue');
    step = 'result';
    await waitForScreen(page, RESULT_SCREENS);
    const result = (await currentScreen(page)) ?? 'result-?';
    step = 'done';
    await click(page, 'done');
    await waitForScreen(page, screenSelector('attract'));
    return { ok: true, result };
  } catch (error) {
    return {
      ok: false,
      failedAt: step,
      screen: await currentScreen(page),
      error: (error as Error).message.split('\n')[0] ?? String(error),
    };
  }
}

/**
 * Back to the attract screen after a failed session, the way staff would: the screen's own
 * way out (back-to-start, done, cancel), else a reload (reported: the page is no longer the
 * same document).
 */
export async function recoverToAttract(page: Page): Promise<'buttons' | 'reload'> {
  for (const testId of ['back-to-start', 'done', 'cancel']) {
    const button = page.locator(`[data-testid="${testId}"]`).first();
    if (await button.isVisible().catch(() => false)) {
      await button.click({ timeout: 5_000 }).catch(() => undefined);
      const back = await page
        .locator(screenSelector('attract'))
        .waitFor({ state: 'visible', timeout: 15_000 })
        .then(() => true)
        .catch(() => false);
      if (back) return 'buttons';
    }
  }
  await page.reload();
  await waitForScreen(page, screenSelector('attract'));
  return 'reload';
}

/** From the attract screen to the selfie screen with its first guidance answered. */
export async function openSelfieScreen(page: Page): Promise<void> {
  await waitForScreen(page, screenSelector('attract'));
  await click(page, 'start');
  await waitForScreen(page, screenSelector('consent'));
  await click(page, 'consent-agree');
  await waitForScreen(page, screenSelector('selfie'));
}
