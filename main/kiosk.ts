/**
 * The kiosk as a whole, for the Electron shell and the browser harness alike: the settings,
 * training mode on the embedded emulator when no vendor credentials are set (or training is
 * switched on), every service, and one stream of events for the renderer. Part of the
 * composition root with services.ts; no electron here.
 */
import { join } from 'node:path';
import { VENDOR_IDS, type VendorId } from '../model/apis.js';
import {
  COMMANDS,
  KioskEventSchema,
  type CommandName,
  type KioskEvent,
} from '../preload/contract.js';
import type { CommandHandlers } from './ipc/kiosk-commands.js';
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
  /** The services in force (replaced when the kiosk switches between training and real mode). */
  readonly services: Services;
  /** Whether this kiosk runs in training mode, on the embedded emulator. */
  readonly training: boolean;
  /** The embedded emulator in training mode, else null. */
  readonly emulator: VendorEmulator | null;
  /**
   * Every contract command, for the IPC border (Electron or the harness): stable across a
   * switch of mode; a command sent during the switch waits for it.
   */
  commands: CommandHandlers;
  /** Every event the renderer may see (queue, customer sessions, console); returns unsubscribe. */
  onEvent(listener: (event: KioskEvent) => void): () => void;
  close(): Promise<void>;
}

/** Whether no vendor has credentials in the keychain: then the kiosk trains. */
async function noVendorCredentials(secrets: SecretStore): Promise<boolean> {
  const status = await readSecretStatus(secrets);
  return VENDOR_IDS.every((vendor) => status.vendors[vendor] === 'not-set');
}

interface Running {
  services: Services;
  training: boolean;
  emulator: VendorEmulator | null;
  stopBridge: () => void;
}

export async function startKiosk(options: KioskOptions): Promise<Kiosk> {
  const settings = new SettingsStore(join(options.dataDir, 'settings.json'), {
    policyFile: options.policyFile === undefined ? defaultPolicyFile() : options.policyFile,
  });
  const trainingForced = (): boolean =>
    options.forceTraining === true || settings.current().training;
  const listeners = new Set<(event: KioskEvent) => void>();
  const send = (event: KioskEvent): void => {
    for (const listener of listeners) listener(event);
  };

  /** Training mode on the embedded emulator, or real mode: every service for it, started. */
  const open = async (staffSignedIn: boolean): Promise<Running> => {
    const training = trainingForced() || (await noVendorCredentials(options.secrets));
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
    try {
      services = await createServices({
        ...options,
        settings,
        training,
        secrets: training
          ? trainingSecretStore(options.secrets, TRAINING_CREDENTIALS)
          : options.secrets,
        keychain: options.secrets,
        trainingForced,
        mode: () => ({ training: current.training, forced: trainingForced() }),
        staffSignedIn,
        ...(emulator
          ? { baseUrls: { kairos: emulator.url, 'biometric-kz': emulator.url } }
          : options.baseUrls
            ? { baseUrls: options.baseUrls }
            : {}),
        onSessionEvent: sessionEventSender(send),
        onConsoleEvent: (event) => send(KioskEventSchema.parse(event)),
        onCredentialsChanged: (vendor) => switchModeIfNeeded(vendor),
      });
    } catch (error) {
      await emulator?.close();
      throw error;
    }
    services.log.record('kiosk-started', { training, emulator: emulator?.url ?? null });
    return {
      services,
      training,
      emulator,
      stopBridge: bridgeQueueEvents(services.store.events, send),
    };
  };

  const stop = async (running: Running): Promise<void> => {
    running.stopBridge();
    running.services.log.record('kiosk-stopped', {});
    await running.services.close();
    await running.emulator?.close();
  };

  let current = await open(false);
  /** A switch of mode under way: commands wait for it. */
  let switching: Promise<void> | null = null;

  /**
   * Credentials saved or removed, or training switched in the settings: the kiosk trains when
   * no vendor has credentials (or training is forced), else it is live. When that changes, every
   * service is stopped and opened again for the other mode (the queue marks training jobs; the
   * emulator starts or stops); staff stay signed in. Otherwise the delivery loop is told, so
   * a vendor paused for its credentials resumes at once.
   */
  const switchModeIfNeeded = async (vendor: VendorId | null): Promise<void> => {
    const training = trainingForced() || (await noVendorCredentials(options.secrets));
    if (training === current.training) {
      if (vendor !== null) current.services.loop.credentialsChanged(vendor);
      return;
    }
    // Off the calling command's stack: it answers from the services it started on.
    switching ??= (async () => {
      const signedIn = current.services.staff.session.isSignedIn();
      const wasRunning = current;
      await stop(wasRunning);
      current = await open(signedIn);
      await current.services.startDelivery();
      send({ type: 'mode-changed', training: current.training });
    })().finally(() => {
      switching = null;
    });
    await switching;
  };

  // Staff switching training on or off in the console changes the mode the same way.
  let lastForced = trainingForced();
  const stopWatchingTraining = settings.onChange(() => {
    if (trainingForced() === lastForced) return;
    lastForced = trainingForced();
    void switchModeIfNeeded(null).catch((error: unknown) =>
      current.services.log.record('mode-switch-failed', {
        message: error instanceof Error ? error.message : String(error),
      }),
    );
  });

  const commands = Object.fromEntries(
    (Object.keys(COMMANDS) as CommandName[]).map((channel) => [
      channel,
      async (input: unknown) => {
        if (switching !== null) await switching;
        const handler = current.services.commands[channel] as (input: unknown) => unknown;
        return handler(input);
      },
    ]),
  ) as unknown as CommandHandlers;

  return {
    get services() {
      return current.services;
    },
    get training() {
      return current.training;
    },
    get emulator() {
      return current.emulator;
    },
    commands,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      stopWatchingTraining();
      if (switching !== null) await switching.catch(() => undefined);
      await stop(current);
    },
  };
}
