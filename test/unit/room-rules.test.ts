/**
 * The rooms, enforced by lint (eslint.config.js): only main/electron/ and preload/ load
 * electron at runtime, raw IPC modules only in their two wrappers, each room imports only the
 * rooms its README lists, and the DOM-safe rooms import no Node module.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The snippets below are files that do not exist: lint them without type information (the
// import rules need none; the type-aware rules need a file the project knows).
const eslint = new ESLint({
  cwd: fileURLToPath(new URL('../../', import.meta.url)),
  overrideConfig: tseslint.configs.disableTypeChecked,
});

/** The messages of the import rules for `code` as if it were the file at `filePath`. */
async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter(
      (m) =>
        m.ruleId === '@typescript-eslint/no-restricted-imports' ||
        m.ruleId === 'no-restricted-imports',
    )
    .map((m) => m.message);
}

describe('electron import rule', () => {
  it('fails a runtime electron import in a service', async () => {
    const errors = await importErrors(
      'main/queue/uses-electron.ts',
      "import { app } from 'electron';\nexport const name = app.getName();\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Only main/electron/ and preload/');
  });

  it('allows a type-only electron import in a service', async () => {
    const errors = await importErrors(
      'main/queue/types-only.ts',
      "import type { App } from 'electron';\nexport type Shell = App;\n",
    );
    expect(errors).toEqual([]);
  });

  it('allows runtime electron imports in main/electron/ and preload/', async () => {
    const code = "import { app } from 'electron';\nexport const name = app.getName();\n";
    expect(await importErrors('main/electron/some-window.ts', code)).toEqual([]);
    expect(await importErrors('preload/bridge.ts', code)).toEqual([]);
  });

  it('keeps ipcMain and ipcRenderer inside their wrappers', async () => {
    const main = "import { ipcMain } from 'electron';\nexport const on = ipcMain.on;\n";
    expect(await importErrors('main/electron/some-window.ts', main)).toEqual([
      expect.stringContaining('Only main/electron/ipc.ts touches ipcMain'),
    ]);
    expect(await importErrors('main/electron/ipc.ts', main)).toEqual([]);
    const preload = "import { ipcRenderer } from 'electron';\nexport const on = ipcRenderer.on;\n";
    expect(await importErrors('preload/border.ts', preload)).toEqual([
      expect.stringContaining('Only preload/index.ts touches ipcRenderer'),
    ]);
    expect(await importErrors('preload/index.ts', preload)).toEqual([]);
  });
});

describe('room rules', () => {
  it('fails an import that crosses into a room not listed', async () => {
    const errors = await importErrors(
      'main/queue/store/uses-capture.ts',
      "import { CaptureService } from '../../capture/capture-service.js';\nexport const c = CaptureService;\n",
    );
    expect(errors).toEqual([expect.stringContaining('main/queue may not import main/capture')]);
    expect(
      await importErrors(
        'main/vendors/uses-queue.ts',
        "import { JobStore } from '../queue/store/job-store.js';\nexport const s = JobStore;\n",
      ),
    ).toEqual([expect.stringContaining('main/vendors may not import main/queue')]);
    expect(
      await importErrors(
        'renderer/src/uses-main.ts',
        "import { JobStore } from '../../main/queue/store/job-store.js';\nexport const s = JobStore;\n",
      ),
    ).toEqual([expect.stringContaining('renderer may not import main/queue')]);
  });

  it('allows the rooms a README lists', async () => {
    expect(
      await importErrors(
        'main/queue/delivery/uses-vendors.ts',
        "import { isVendorError } from '../../vendors/vendor-error.js';\nimport { API_IDS } from '../../../model/apis.js';\nexport const x = [isVendorError, API_IDS];\n",
      ),
    ).toEqual([]);
  });

  it('keeps the shared model and the renderer free of Node modules', async () => {
    const code = "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n";
    expect(await importErrors('model/uses-node.ts', code)).toEqual([
      expect.stringContaining('DOM-safe'),
    ]);
    expect(await importErrors('renderer/src/uses-node.ts', code)).toEqual([
      expect.stringContaining('DOM-safe'),
    ]);
  });
});
