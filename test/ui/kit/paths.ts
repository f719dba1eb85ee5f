/** Where the UI kit writes what it makes at test time (all under the git-ignored .tmp/). */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/ui/kit/paths.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** `<repo>/.tmp/<name>`, created if missing. */
export async function tmpDir(name: string): Promise<string> {
  const dir = path.join(REPO_ROOT, '.tmp', name);
  await mkdir(dir, { recursive: true });
  return dir;
}
