/**
 * Connectivity for the app: the operating system's own answer (Electron's net.isOnline(),
 * passed in, so this file stays plain Node) and the reachability check of the vendor hosts.
 * The OS answer is instant and free, so it is asked first; only when it says there is a
 * network does the reachability check run. Either saying no means offline.
 */
import type { Connectivity } from './connectivity.js';

export class OsAwareConnectivity implements Connectivity {
  readonly #osOnline: () => boolean;
  readonly #reachability: Connectivity;
  readonly #listeners = new Set<(online: boolean) => void>();
  #last: boolean | undefined;

  constructor(osOnline: () => boolean, reachability: Connectivity) {
    this.#osOnline = osOnline;
    this.#reachability = reachability;
    // The probe's own polling notices losses and returns; pass them on, with the OS's view.
    reachability.onChange(() => void this.isOnline());
  }

  async isOnline(): Promise<boolean> {
    const online = this.#osOnline() && (await this.#reachability.isOnline());
    if (online !== this.#last) {
      this.#last = online;
      for (const listener of [...this.#listeners]) {
        try {
          listener(online);
        } catch {
          // A subscriber's bug must not keep the others from hearing about the change.
        }
      }
    }
    return online;
  }

  onChange(listener: (online: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
