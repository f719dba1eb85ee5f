/**
 * What to tell a person when the OS keychain cannot be reached. Kiosk Verify never falls back
 * to plain-text storage, so this message is the only way forward and must say what to install.
 */

export function keychainUnavailableMessage(platform: NodeJS.Platform, cause: string): string {
  const why = cause === '' ? '' : ` (${cause})`;
  switch (platform) {
    case 'darwin':
      return (
        `The macOS Keychain did not answer${why}. Kiosk Verify keeps credentials only in the ` +
        `keychain, never in plain text. Unlock the login keychain (Keychain Access) and try again.`
      );
    case 'win32':
      return (
        `Windows Credential Manager did not answer${why}. Kiosk Verify keeps credentials only ` +
        `there, never in plain text. Sign in to the kiosk account interactively once and try again.`
      );
    default:
      return (
        `No Secret Service keychain is reachable${why}. Kiosk Verify keeps credentials only in ` +
        `the OS keychain, never in plain text. Install gnome-keyring and libsecret ` +
        `(Debian/Ubuntu: apt-get install gnome-keyring libsecret-1-0 dbus-user-session), and run ` +
        `the app inside a D-Bus session with the keyring unlocked: a desktop login does this; on a ` +
        `headless kiosk start it under dbus-run-session with ` +
        `"gnome-keyring-daemon --unlock --components=secrets".`
      );
  }
}

/** What to tell a person when the keychain answers but is locked. */
export function keychainLockedMessage(platform: NodeJS.Platform): string {
  const unlock =
    platform === 'darwin'
      ? 'Unlock the login keychain (Keychain Access, or sign in to the kiosk account)'
      : platform === 'win32'
        ? 'Sign in to the kiosk account interactively'
        : 'Unlock the login keyring (sign in to the kiosk account, or run ' +
          '"gnome-keyring-daemon --unlock" in its session)';
  return (
    `The keychain is locked: Kiosk Verify cannot read or write its entries until it is ` +
    `unlocked. Nothing was changed. ${unlock}, then try again.`
  );
}
