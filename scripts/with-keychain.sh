#!/usr/bin/env bash
# Runs a command against a real, private, unlocked OS keychain:
#
#   bash scripts/with-keychain.sh npx vitest run test/secrets test/queue
#   bash scripts/with-keychain.sh --keep DIR node dist/main/web.js   (a keyring kept in DIR)
#
# On Linux: a private D-Bus session (dbus-run-session) with its own gnome-keyring-daemon, whose
# 'login' collection is created and unlocked with a throwaway password. HOME and the XDG_*
# folders point into a fresh temporary folder, so the developer's own keyring is never touched
# and nothing outlives the run. On macOS and Windows the command runs as it is (the login
# Keychain / Credential Manager is always there; tests file entries under their own service).
#
# Needs (Debian/Ubuntu): apt-get install dbus gnome-keyring libsecret-1-0
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: bash scripts/with-keychain.sh COMMAND [ARG...]" >&2
  exit 64
fi

if [[ "${1}" == "--in-session" ]]; then
  # Second half, inside the private D-Bus session.
  shift
  if [[ -n "${KIOSK_KEYRING_PASSWORD_FILE:-}" ]]; then
    # --keep: the same keyring across runs, unlocked with the password made at its first run.
    password="$(cat "${KIOSK_KEYRING_PASSWORD_FILE}")"
  else
    password="$(head -c 18 /dev/urandom | base64)"
  fi
  # --unlock reads the password from stdin and creates (or unlocks) the 'login' collection;
  # --start then asks the running daemon to register org.freedesktop.secrets on the bus (without
  # it, the first client would D-Bus-activate a second, locked daemon). Both may print
  # NAME=value lines (GNOME_KEYRING_CONTROL, ...): export them for clients that look for them.
  env_lines="$(printf '%s' "${password}" |
    gnome-keyring-daemon --unlock --components=secrets --daemonize)"
  env_lines+=$'\n'"$(gnome-keyring-daemon --start --components=secrets 2>/dev/null)"
  while IFS='=' read -r name value; do
    case "${name}" in
      GNOME_KEYRING_CONTROL | GNOME_KEYRING_PID | SSH_AUTH_SOCK) export "${name}=${value}" ;;
    esac
  done <<<"${env_lines}"
  if [[ -z "${GNOME_KEYRING_CONTROL:-}" && -S "${XDG_RUNTIME_DIR}/keyring/control" ]]; then
    export GNOME_KEYRING_CONTROL="${XDG_RUNTIME_DIR}/keyring"
  fi

  # Wait until the Secret Service answers and its login collection is unlocked (the daemon
  # starts in the background; 10 s is generous on a loaded 2-core machine).
  ready=""
  for _ in $(seq 1 100); do
    locked="$(gdbus call --session --dest org.freedesktop.secrets \
      --object-path /org/freedesktop/secrets/collection/login \
      --method org.freedesktop.DBus.Properties.Get org.freedesktop.Secret.Collection Locked \
      2>/dev/null || true)"
    if [[ "${locked}" == "(<false>,)" ]]; then
      ready=yes
      break
    fi
    sleep 0.1
  done
  if [[ -z "${ready}" ]]; then
    echo "with-keychain: gnome-keyring did not offer an unlocked 'login' collection within 10 s." >&2
    exit 69
  fi
  daemon_pid="$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.secrets |
    sed -E 's/.*uint32 ([0-9]+).*/\1/' || true)"

  status=0
  "$@" || status=$?
  # The daemon exits with the bus anyway; stopping it first keeps its files from being written
  # while the temporary folder is removed.
  if [[ -n "${daemon_pid}" ]]; then kill "${daemon_pid}" 2>/dev/null || true; fi
  exit "${status}"
fi

keep=""
if [[ "${1}" == "--keep" ]]; then
  # --keep DIR: a private keyring that outlives the run, in DIR (for `npm start` on a Linux
  # machine without a desktop session: the queue's data key must still be there next time).
  # HOME and the config folder stay the user's own, so the kiosk's data folder is the usual one.
  keep="${2:?--keep needs a folder}"
  shift 2
fi

if [[ "$(uname -s)" != "Linux" ]]; then
  exec "$@"
fi

for tool in dbus-run-session gnome-keyring-daemon gdbus; do
  if ! command -v "${tool}" >/dev/null 2>&1; then
    echo "with-keychain: ${tool} not found. Install: apt-get install dbus gnome-keyring libglib2.0-bin" >&2
    exit 69
  fi
done

scratch="$(mktemp -d "${TMPDIR:-/tmp}/kiosk-keychain.XXXXXX")"
trap 'rm -rf "${scratch}"' EXIT
if [[ -n "${keep}" ]]; then
  mkdir -p -m 700 "${keep}/data"
  if [[ ! -s "${keep}/password" ]]; then
    (umask 077 && head -c 18 /dev/urandom | base64 >"${keep}/password")
  fi
  export KIOSK_KEYRING_PASSWORD_FILE="${keep}/password"
  export XDG_DATA_HOME="${keep}/data"
else
  export HOME="${scratch}/home"
  export XDG_DATA_HOME="${scratch}/data"
  export XDG_CONFIG_HOME="${scratch}/config"
  export XDG_CACHE_HOME="${scratch}/cache"
  mkdir -p "${HOME}" "${XDG_DATA_HOME}" "${XDG_CONFIG_HOME}" "${XDG_CACHE_HOME}"
fi
export XDG_RUNTIME_DIR="${scratch}/runtime"
mkdir -m 700 "${XDG_RUNTIME_DIR}"
# A keyring or bus inherited from the caller's desktop session must not be used.
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL GNOME_KEYRING_PID SSH_AUTH_SOCK

status=0
# dbus-daemon run as root warns that it cannot raise its file limit; it is harmless noise.
dbus-run-session -- bash "${BASH_SOURCE[0]}" --in-session "$@" \
  2> >(grep -v --line-buffered 'Failed to set fd limit' >&2) || status=$?
exit "${status}"
