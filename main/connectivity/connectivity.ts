/**
 * Whether the vendors can be reached at all. The delivery loop does not claim jobs while
 * offline (each would only fail and back off), and starts delivering the moment this says the
 * network is back. Implementations: ReachabilityConnectivity (Node: a reachability check of the
 * vendor hosts), the app's (Electron's net.isOnline plus that check), and ManualConnectivity.
 */

export interface Connectivity {
  /** A fresh answer: implementations may probe now. */
  isOnline(): Promise<boolean>;
  /** Called on every change of the answer; returns the unsubscribe function. */
  onChange(listener: (online: boolean) => void): () => void;
}

/** The test twin, and the choice for a CLI run that should just try. */
export class ManualConnectivity implements Connectivity {
  #online: boolean;
  readonly #listeners = new Set<(online: boolean) => void>();

  constructor(online = true) {
    this.#online = online;
  }

  async isOnline(): Promise<boolean> {
    return this.#online;
  }

  onChange(listener: (online: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  set(online: boolean): void {
    if (online === this.#online) return;
    this.#online = online;
    for (const listener of [...this.#listeners]) listener(online);
  }
}
