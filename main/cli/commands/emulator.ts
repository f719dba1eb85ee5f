/** `kiosk-verify emulator`: the vendor emulator as a long-running local server. */
import { parseArgs } from 'node:util';
import { startEmulator, TRAINING_CREDENTIALS, type VendorEmulator } from '../../emulator/index.js';
import { CaptureService } from '../../capture/capture-service.js';
import { CliError, usageError } from '../cli-error.js';

export const EMULATOR_HELP = `Usage: kiosk-verify emulator [--port N] [--host 127.0.0.1]

Starts the vendor emulator: all four vendor APIs on one local address, answering as the
vendors' documents describe, with the training credentials, reporting the faces it finds
with the kiosk's own face detector. Prints its address, the
credentials and the token of its /__emulator/ controls (send it as the x-emulator-token header)
as one JSON line, then serves until stopped (Ctrl+C).
  --port  the port to listen on (default 0: any free port)
  --host  the address to listen on (default 127.0.0.1; any other address is reachable from the
          network, and a warning says so on stderr)`;

export async function runEmulator(
  args: string[],
  out: NodeJS.WritableStream,
  stop: AbortSignal,
): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw usageError(`--port must be a whole number from 0 to 65535, not "${values.port}".`);
  }
  const host = values.host ?? '127.0.0.1';
  // The emulator reports the faces it really finds, with the kiosk's own on-device detector.
  const capture = new CaptureService();
  await capture.start();
  let emulator: VendorEmulator;
  try {
    emulator = await startEmulator({
      port,
      host,
      detectFaces: capture.detectFaces,
      onWarning: (message) => process.stderr.write(`Warning: ${message}\n`),
    });
  } catch (error) {
    await capture.close();
    throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? new CliError(
          'port-in-use',
          `Port ${port} on ${host} is already in use by another program. Pick another --port ` +
            '(or --port 0 for any free one), or stop the program using it.',
        )
      : error;
  }
  out.write(
    `${JSON.stringify({
      url: emulator.url,
      controlToken: emulator.controlToken,
      env: {
        KAIROS_APP_ID: TRAINING_CREDENTIALS.kairos.appId,
        KAIROS_APP_KEY: TRAINING_CREDENTIALS.kairos.appKey,
        BIOMETRIC_KZ_API_KEY: TRAINING_CREDENTIALS.biometricKz.apiKey,
      },
    })}\n`,
  );
  if (!stop.aborted)
    await new Promise((resolve) => stop.addEventListener('abort', resolve, { once: true }));
  await emulator.close();
  await capture.close();
}
