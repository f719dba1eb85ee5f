#!/usr/bin/env bash
# The one test command (`npm test`, and CI's .ci/run): installs what the tests need, builds,
# then runs lint, both typechecks, the format check and every vitest suite against a real,
# private OS keychain. Ends with a plain "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages (keytar's build and the private keychain; Chromium for the UI suites) and npm
# packages, installed when missing: the same step `npm start` runs.
node scripts/install.mjs --with-chromium

# The one build (installing does not build): vitest's global setup sees KIOSK_VERIFY_BUILT=1
# below and does not build again.
npm run --silent build
npm run --silent lint
npm run --silent typecheck
npm run --silent format:check

mkdir -p .tmp
report=.tmp/vitest-report.json
rm -f "${report}"
status=0
KIOSK_VERIFY_BUILT=1 bash scripts/with-keychain.sh npx vitest run --reporter=default --reporter=json \
  --outputFile.json="${report}" || status=$?

if [[ -f "${report}" ]]; then
  node -e '
    const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
    if (r.numTotalTests === 0) process.exitCode = 1;
  ' "${report}" || status=1
else
  echo "0 passed, 1 failed"
  status=1
fi
exit "${status}"
