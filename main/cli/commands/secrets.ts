/** `kiosk-verify secrets set|status|delete`: the vendor credentials in the OS keychain. */
import { VENDOR_DISPLAY_NAME, type VendorId } from '../../../model/apis.js';
import type { VendorCredentials } from '../../../model/request.js';
import { readSecretStatus } from '../../secrets/secret-status.js';
import {
  deleteVendorCredentials,
  unsendableCredential,
  unsendableCredentialMessage,
  writeVendorCredentials,
} from '../../secrets/vendor-credentials.js';
import { CliError, usageError } from '../cli-error.js';
import type { CliContext } from '../cli-context.js';
import { readSecretLines } from '../read-secret-input.js';

export const SECRETS_HELP = `Usage: kiosk-verify secrets set kairos|biometric-kz
       kiosk-verify secrets status
       kiosk-verify secrets delete kairos|biometric-kz

Keeps the vendors' credentials in the OS keychain (macOS Keychain, Windows Credential
Manager, the Secret Service on Linux). Values are read from standard input, never from the
command line: on a terminal you are asked and nothing is shown; otherwise one value a line
(Kairos: the app ID, then the app key; biometric.kz: the API key).
  status   says which entries are set; never shows a value`;

const LABELS: Record<VendorId, readonly string[]> = {
  kairos: ['Kairos app ID', 'Kairos app key'],
  'biometric-kz': ['biometric.kz API key'],
};

function vendorArg(value: string | undefined): VendorId {
  if (value === 'kairos' || value === 'biometric-kz') return value;
  throw usageError('Name the vendor: kairos or biometric-kz.');
}

export async function runSecrets(args: string[], context: CliContext): Promise<unknown> {
  const [action, vendorName, ...rest] = args;
  if (rest.length > 0)
    throw usageError(`Unexpected "${rest.join(' ')}". Values are read from standard input.`);
  switch (action) {
    case 'status': {
      if (vendorName !== undefined) throw usageError('secrets status takes no arguments.');
      return readSecretStatus(context.keychain());
    }
    case 'set': {
      const vendor = vendorArg(vendorName);
      const values = await readSecretLines(context.stdin, context.stderr, LABELS[vendor]);
      if (values.length < LABELS[vendor].length || values.some((value) => value === '')) {
        throw new CliError(
          'input',
          `Expected ${LABELS[vendor].join(' and ')} on standard input, one a line.`,
        );
      }
      const credentials: VendorCredentials =
        vendor === 'kairos'
          ? { vendor, appId: values[0]!, appKey: values[1]! }
          : { vendor, apiKey: values[0]! };
      // Checked before the keychain is touched: a key that cannot travel is a typo or a bad
      // paste, and storing it would only turn every later send into a refusal.
      const unsendable = unsendableCredential(credentials);
      if (unsendable !== undefined)
        throw usageError(unsendableCredentialMessage(unsendable, vendor));
      await writeVendorCredentials(context.keychain(), credentials);
      return {
        vendor,
        stored: true,
        message: `${VENDOR_DISPLAY_NAME[vendor]} credentials saved in the keychain.`,
      };
    }
    case 'delete': {
      const vendor = vendorArg(vendorName);
      const removed = await deleteVendorCredentials(context.keychain(), vendor);
      return { vendor, removed };
    }
    default:
      throw usageError('Say what to do: secrets set, secrets status or secrets delete.');
  }
}
