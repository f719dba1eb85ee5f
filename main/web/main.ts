/**
 * `npm run web`: the kiosk in the browser harness. Starts the real services (training mode on
 * the embedded emulator when no vendor credentials are set), serves the built renderer on
 * 127.0.0.1 and prints its address on one line; opens it in a Chromium-family browser in kiosk
 * mode when one is installed and a display is there. Ctrl+C stops it cleanly.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeFailure } from '../failures/describe-failure.js';
import { EXIT_INTERNAL, EXIT_PORT_IN_USE, EXIT_USAGE } from '../failures/exit-codes.js';
import { startKiosk } from '../kiosk.js';
import { defaultDataDir } from '../queue/store/data-dir.js';
import { KeytarSecretStore } from '../secrets/keytar-secret-store.js';
import { startHarness } from './harness-server.js';
import { findBrowser, hasDisplay, openKioskBrowser } from './open-browser.js';

const USAGE = `Usage: npm run web -- [options]   (or: node dist/main/web.js [options])

Starts the kiosk in a browser: the real services on this machine, the screens served on
127.0.0.1 only. Without vendor credentials in the keychain it runs in training mode, on the
embedded vendor emulator: nothing leaves the machine.

Options:
  --port N        serve on this port (default: a free one)
  --no-open       do not open a browser; just print the address
  --training      training mode even when credentials are set
  --data-dir DIR  the kiosk's data folder (default: the app's, as the CLI uses)
  -h, --help      this help`;

function fail(message: string, code: number): never {
  process.stderr.write(`kiosk: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'no-open': { type: 'boolean' },
        training: { type: 'boolean' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`, EXIT_USAGE);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    fail(`--port must be a whole number from 0 to 65535, not "${values.port}".`, EXIT_USAGE);
  }
  const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
  if (!existsSync(join(rendererDir, 'index.html'))) {
    fail('the screens are not built. Run "npm run build" (npm start does it for you).', EXIT_USAGE);
  }
  const dataDir = values['data-dir'] ?? defaultDataDir(process.platform, process.env, homedir());

  const kiosk = await startKiosk({
    dataDir,
    secrets: new KeytarSecretStore(),
    forceTraining: values.training === true,
  });
  const { log } = kiosk.services;
  let harness;
  try {
    harness = await startHarness({
      commands: kiosk.commands,
      onEvent: (listener) => kiosk.onEvent(listener),
      rendererDir,
      port,
      onInternalError: (channel, error) =>
        log.record('ipc-command-failed', {
          channel,
          message: error instanceof Error ? error.message : String(error),
        }),
      onRefused: (why) => log.record('harness-refused', { why }),
    });
  } catch (error) {
    await kiosk.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      fail(`port ${port} is in use; pick another with --port, or leave it out.`, EXIT_PORT_IN_USE);
    }
    throw error;
  }
  await kiosk.services.startDelivery();
  process.stdout.write(`Kiosk: ${harness.url}\n`);
  process.stdout.write(
    kiosk.training
      ? 'Training mode: no vendor credentials are set, so the embedded emulator answers and nothing leaves this machine.\n'
      : 'Live mode: verifications go to the vendors configured in the keychain.\n',
  );

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('Stopping the kiosk...\n');
    void harness
      .close()
      .then(() => kiosk.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  if (values['no-open']) return;
  const browser = findBrowser();
  if (browser === null) {
    process.stdout.write('No Chromium, Chrome or Edge found: open the address above in one.\n');
  } else if (!hasDisplay()) {
    process.stdout.write('No display here: open the address above in a browser on this machine.\n');
  } else {
    await openKioskBrowser(browser, harness.url, join(dataDir, 'kiosk-browser')).catch((error) =>
      process.stdout.write(
        `Could not open ${browser} (${(error as Error).message}): open the address above.\n`,
      ),
    );
  }
}

main().catch((error: unknown) => {
  const failure = describeFailure(error);
  if (failure !== null) fail(failure.message, failure.exitCode);
  fail(`could not start: ${error instanceof Error ? error.message : String(error)}`, EXIT_INTERNAL);
});
