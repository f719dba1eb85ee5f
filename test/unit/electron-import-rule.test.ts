/** The house rule, enforced by lint: only main/electron/ and preload/ load electron at runtime. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../../', import.meta.url).pathname });

async function electronImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('electron import rule', () => {
  it('fails a runtime electron import in a service', async () => {
    const errors = await electronImportErrors(
      'main/queue/uses-electron.ts',
      "import { app } from 'electron';\nexport const name = app.getName();\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Only main/electron/ and preload/');
  });

  it('allows a type-only electron import in a service', async () => {
    const errors = await electronImportErrors(
      'main/queue/types-only.ts',
      "import type { App } from 'electron';\nexport type Shell = App;\n",
    );
    expect(errors).toEqual([]);
  });

  it('allows runtime electron imports in main/electron/ and preload/', async () => {
    const code = "import { app } from 'electron';\nexport const name = app.getName();\n";
    expect(await electronImportErrors('main/electron/some-window.ts', code)).toEqual([]);
    expect(await electronImportErrors('preload/bridge.ts', code)).toEqual([]);
  });
});
