/** Screenshots for people to look at, in `<repo>/.tmp/ui-screens/` (git-ignored). */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { tmpDir } from './paths.js';

/**
 * Saves `<name>.png` (characters other than letters, digits, `.`, `_` and `-` become `-`) and
 * returns its absolute path. The viewport only, unless `fullPage`.
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<string> {
  const safe = name.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '') || 'screen';
  const file = path.join(await tmpDir('ui-screens'), `${safe}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false });
  return file;
}
