/**
 * The electron import rule on the real tree, not on snippets (test/unit/room-rules.test.ts
 * proves the lint rule on snippets): only main/electron/ and preload/ import electron at
 * runtime; everywhere else `import type` only. And on the bundles: the CLI and the browser
 * harness, with everything they pull in, never load electron (they run in plain Node).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ALLOWED = ['main/electron/', 'preload/'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/** The runtime (not type-only) imports of 'electron' in `file`, as line numbers. */
function runtimeElectronImports(file: string): number[] {
  const text = readFileSync(join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lines: number[] = [];
  const isElectron = (node: ts.Node | undefined): boolean =>
    node !== undefined && ts.isStringLiteral(node) && node.text === 'electron';
  const at = (node: ts.Node): number =>
    source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && isElectron(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      if (!typeOnly) lines.push(at(node));
    } else if (ts.isExportDeclaration(node) && isElectron(node.moduleSpecifier)) {
      if (!node.isTypeOnly) lines.push(at(node));
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      isElectron(node.arguments[0])
    ) {
      lines.push(at(node));
    } else if (ts.isImportEqualsDeclaration(node)) {
      const reference = node.moduleReference;
      if (ts.isExternalModuleReference(reference) && isElectron(reference.expression)) {
        lines.push(at(node));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

describe('the electron import rule on the real tree', () => {
  it('has no runtime electron import outside main/electron/ and preload/', () => {
    const files = ['main', 'model', 'renderer', 'scripts', 'bin'].flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(100);
    const offenders = files
      .filter((file) => !ALLOWED.some((room) => file.startsWith(room)))
      .flatMap((file) => runtimeElectronImports(file).map((line) => `${file}:${line}`));
    expect(offenders).toEqual([]);
  });

  it('sees the runtime imports that are allowed (the scan works)', () => {
    expect(runtimeElectronImports('main/electron/main.ts')).not.toEqual([]);
    expect(runtimeElectronImports('preload/index.ts')).not.toEqual([]);
    // A type-only import is not a runtime import.
    expect(runtimeElectronImports('main/electron/permissions.ts')).toEqual([]);
  });
});

describe('the bundles', () => {
  it('load electron in the Electron entry only: never in the CLI or the browser harness', async () => {
    const result = await build({
      absWorkingDir: root,
      entryPoints: {
        cli: 'main/cli/main.ts',
        web: 'main/web/main.ts',
        electron: 'main/electron/main.ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      write: false,
      metafile: true,
      outdir: join(root, '.tmp', 'electron-imports'),
      logLevel: 'silent',
    });
    const loadsElectron = Object.fromEntries(
      Object.entries(result.metafile.outputs)
        .filter(([, output]) => output.entryPoint !== undefined)
        .map(([, output]) => [
          output.entryPoint,
          output.imports.some((i) => i.path === 'electron' && i.kind !== 'dynamic-import'),
        ]),
    );
    expect(loadsElectron).toEqual({
      'main/cli/main.ts': false,
      'main/web/main.ts': false,
      'main/electron/main.ts': true,
    });
  });
});
