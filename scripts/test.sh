#!/usr/bin/env bash
# The one test command (`npm test`, and CI's .ci/run): installs what the tests need, builds,
# then runs lint, both typechecks, the format check and every vitest suite against a real,
# private OS keychain. Ends with a plain "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: keytar builds against libsecret and the tests talk to a real gnome-keyring
# in a private D-Bus session (gdbus comes with libglib2.0-bin).
system_packages=(libsecret-1-dev gnome-keyring dbus libglib2.0-bin)
if [[ "$(uname -s)" == "Linux" ]] && command -v dpkg >/dev/null 2>&1; then
  missing=()
  for package in "${system_packages[@]}"; do
    dpkg -s "${package}" >/dev/null 2>&1 || missing+=("${package}")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    if [[ "$(id -u)" == "0" ]]; then
      echo "test: installing system packages: ${missing[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "test: missing system packages. Run: sudo apt-get install ${missing[*]}" >&2
      exit 69
    fi
  fi
elif [[ "$(uname -s)" == "Linux" ]]; then
  echo "test: not Debian/Ubuntu: install libsecret development files, gnome-keyring, dbus and gdbus (glib)." >&2
fi

# Node packages: a clean install whenever the lock file changed since the last one.
stamp=node_modules/.kiosk-verify-lock
# (Hashed with Node: sha256sum is GNU coreutils, not on macOS or Git Bash by default.)
lock_hash="$(node -e 'process.stdout.write(require("node:crypto").createHash("sha256").update(require("node:fs").readFileSync("package-lock.json")).digest("hex"))')"
if [[ ! -f "${stamp}" || "$(cat "${stamp}")" != "${lock_hash}" ]]; then
  npm ci --no-audit --no-fund
  echo "${lock_hash}" >"${stamp}"
fi

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
