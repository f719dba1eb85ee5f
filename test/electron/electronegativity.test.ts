/**
 * Electronegativity (Doyensec's Electron security linter) over main/ and preload/, with SARIF
 * output kept under .tmp/ (git-ignored). The tool exits 0 whatever it finds, so this test is
 * the gate: any finding not in main/electron/electronegativity-allow.json fails, and so does
 * an allow-list entry no finding uses any more (the list stays short and true).
 *
 * Both folders are scanned in one run (through a folder of two symlinks), so its
 * application-wide checks (CSP, navigation limits, permission handler) see the whole app; run
 * on preload/ alone they would report the main process's guards as missing.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const work = join(root, '.tmp', 'electronegativity');
const sarifFile = join(work, 'electronegativity.sarif');

interface Finding {
  check: string;
  file: string;
  line: number;
  message: string;
}

interface AllowEntry {
  check: string;
  file: string;
  why: string;
}

interface Sarif {
  runs: {
    results: {
      ruleId: string;
      message: { text: string };
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region?: { startLine?: number } };
      }[];
    }[];
  }[];
}

const allowList = (
  JSON.parse(
    readFileSync(join(root, 'main', 'electron', 'electronegativity-allow.json'), 'utf8'),
  ) as { allow: AllowEntry[] }
).allow;

let findings: Finding[] = [];

beforeAll(async () => {
  rmSync(work, { recursive: true, force: true });
  const input = join(work, 'input');
  mkdirSync(input, { recursive: true });
  symlinkSync(join(root, 'main'), join(input, 'main'), 'dir');
  symlinkSync(join(root, 'preload'), join(input, 'preload'), 'dir');
  const electronVersion = (
    JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  await promisify(execFile)(
    join(root, 'node_modules', '.bin', 'electronegativity'),
    // -e: the installed Electron, so its defaults are judged for the version we ship; -r:
    // paths relative to the input, as the allow-list writes them.
    ['-i', input, '-o', sarifFile, '-r', '-e', electronVersion],
    { cwd: root, timeout: 170_000, maxBuffer: 16 * 1024 * 1024 },
  );
  const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as Sarif;
  findings = sarif.runs.flatMap((run) =>
    run.results.map((result) => {
      const location = result.locations[0]?.physicalLocation;
      const uri = location?.artifactLocation.uri ?? '';
      return {
        check: result.ruleId,
        file: uri === '' || uri.startsWith('file://') ? '(global)' : uri,
        line: location?.region?.startLine ?? 0,
        message: result.message.text,
      };
    }),
  );
}, 180_000);

const allowed = (finding: Finding, entry: AllowEntry): boolean =>
  entry.check === finding.check && entry.file === finding.file;

describe('Electronegativity over main/ and preload/', () => {
  it('finds nothing that is not on the allow-list', () => {
    const unexpected = findings.filter((f) => !allowList.some((entry) => allowed(f, entry)));
    expect(unexpected).toEqual([]);
  });

  it('uses every allow-list entry (a fixed finding leaves the list)', () => {
    const unused = allowList.filter((entry) => !findings.some((f) => allowed(f, entry)));
    expect(unused).toEqual([]);
  });

  it('says why for every allow-list entry', () => {
    for (const entry of allowList) expect(entry.why.length, entry.check).toBeGreaterThan(40);
  });
});
