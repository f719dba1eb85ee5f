/**
 * The kiosk as a whole, for the Electron shell and the browser harness alike: the settings,
 * training mode on the embedded emulator when no vendor credentials are set (or training is
 * switched on), every service, and one stream of events for the renderer. Part of the
 * composition root with services.ts; no electron here.
 */
import { join } from 'node:path';
import { VENDOR_IDS, type VendorId } from '../model/apis.js';
import type { KioskEvent } from '../preload/contract.js';
import { startEmulator, TRAINING_CREDENTIALS, type VendorEmulator } from './emulator/index.js';
import { bridgeQueueEvents, sessionEventSender } from './ipc/event-bridge.js';
import { readSecretStatus } from './secrets/secret-status.js';
import type { SecretStore } from './secrets/secret-store.js';
import { trainingSecretStore } from './secrets/training-secrets.js';
import { createServices, type Services, type ServicesOptions } from './services.js';
import { defaultPolicyFile } from './settings/managed-policy.js';
import { SettingsStore } from './settings/settings-store.js';

export interface KioskOptions extends Omit<ServicesOptions, 'settings' | 'training' | 'baseUrls'> {
  /** Training mode even with credentials set (`--training`). */
  forceTraining?: boolean;
  /** Base URLs for real mode (tests point them at an emulator of their own). */
  baseUrls?: Partial<Record<VendorId, string>>;
  /** The embedded emulator's port in training mode; 0 (default) picks a free one. */
  emulatorPort?: number;
  /**
   * The bank's managed policy file (main/settings/managed-policy.ts); default: the operating
   * system's place for it; null: none (tests).
   */
  policyFile?: string | null;
}

export interface Kiosk {
  services: Services;
  /** Whether this kiosk runs in training mode, on the embedded emulator. */
  training: boolean;
  /** The embedded emulator in training mode, else null. */
  emulator: VendorEmulator | null;
  /** Every event the renderer may see (queue and customer sessions); returns unsubscribe. */
  onEvent(listener: (event: KioskEvent) => void): () => void;
  close(): Promise<void>;
}

/** Whether no vendor has credentials in the keychain: then the kiosk trains. */
async function noVendorCredentials(secrets: SecretStore): Promise<boolean> {
  const status = await readSecretStatus(secrets);
  return VENDOR_IDS.every((vendor) => status.vendors[vendor] === 'not-set');
}

export async function startKiosk(options: KioskOptions): Promise<Kiosk> {
  const settings = new SettingsStore(join(options.dataDir, 'settings.json'), {
    policyFile: options.policyFile === undefined ? defaultPolicyFile() : options.policyFile,
  });
  const training =
    options.forceTraining === true ||
    settings.current().training ||
    (await noVendorCredentials(options.secrets));
  let emulator: VendorEmulator | null = null;
  let services: Services | null = null;
  if (training) {
    // Nothing leaves the machine: both vendors' base URLs point at the loopback emulator, and
    // it finds faces with the kiosk's own detector, so practice answers follow the pictures.
    emulator = await startEmulator({
      port: options.emulatorPort ?? 0,
      detectFaces: (image) => {
        if (services === null) return Promise.resolve([]);
        return services.capture.detectFaces(image);
      },
    });
  }
  const listeners = new Set<(event: KioskEvent) => void>();
  const send = (event: KioskEvent): void => {
    for (const listener of listeners) listener(event);
  };
  try {
    services = await createServices({
      ...options,
      settings,
      training,
      secrets: training
        ? trainingSecretStore(options.secrets, TRAINING_CREDENTIALS)
        : options.secrets,
      ...(emulator
        ? { baseUrls: { kairos: emulator.url, 'biometric-kz': emulator.url } }
        : options.baseUrls
          ? { baseUrls: options.baseUrls }
          : {}),
      onSessionEvent: sessionEventSender(send),
    });
  } catch (error) {
    await emulator?.close();
    throw error;
  }
  const ready = services;
  ready.log.record('kiosk-started', { training, emulator: emulator?.url ?? null });
  const stopBridge = bridgeQueueEvents(ready.store.events, send);
  return {
    services: ready,
    training,
    emulator,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      stopBridge();
      ready.log.record('kiosk-stopped', {});
      await ready.close();
      await emulator?.close();
    },
  };
}
