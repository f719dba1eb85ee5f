/**
 * Is the Secret Service's default collection locked? On Linux, libsecret answers a lookup in a
 * locked collection with "no such entry" (keytar's getPassword resolves null), which would make
 * a locked keyring look empty: the queue would then believe its data key was gone. This asks
 * the Secret Service itself, over D-Bus with dbus-send (part of every D-Bus install, which the
 * Secret Service needs anyway).
 */
import { execFile } from 'node:child_process';

const DEFAULT_COLLECTION = '/org/freedesktop/secrets/aliases/default';

/** true / false when the Secret Service said so; null when it cannot be asked. */
export function isSecretServiceLocked(timeoutMs = 3_000): Promise<boolean | null> {
  return new Promise((resolve) => {
    execFile(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        `--reply-timeout=${timeoutMs}`,
        '--dest=org.freedesktop.secrets',
        DEFAULT_COLLECTION,
        'org.freedesktop.DBus.Properties.Get',
        'string:org.freedesktop.Secret.Collection',
        'string:Locked',
      ],
      { timeout: timeoutMs + 500, windowsHide: true },
      (error, stdout) => {
        if (error) {
          resolve(null);
          return;
        }
        const answer = /boolean (true|false)/.exec(stdout);
        resolve(answer ? answer[1] === 'true' : null);
      },
    );
  });
}
