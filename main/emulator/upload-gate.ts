/**
 * How much upload the emulator holds at once. In training mode it runs on the kiosk itself,
 * next to a browser: unbounded, 80 parallel uploads took 3 GB. Two limits, both answered 503
 * (a busy vendor's answer, which the kiosk retries later): how many bodies are read at once,
 * and how many file bytes all of them keep in memory together.
 */

export interface UploadLimits {
  /** Bodies being read at the same time; one more is refused at once, before it is read. */
  maxBodies: number;
  /** File bytes kept by all bodies together; a body that would pass it is cut off. */
  maxBufferedBytes: number;
}

/** One admitted body's share of the limits. */
export interface UploadSlot {
  /** Counts `bytes` more kept by this body; false (nothing counted) when the budget is spent. */
  hold(bytes: number): boolean;
  /** Gives back the slot and every byte it held. Safe to call more than once. */
  release(): void;
}

export class UploadGate {
  readonly limits: Readonly<UploadLimits>;
  #bodies = 0;
  #bytes = 0;

  constructor(limits: UploadLimits) {
    this.limits = Object.freeze({ ...limits });
  }

  /** A slot for one body, or null when maxBodies are already being read. */
  admit(): UploadSlot | null {
    if (this.#bodies >= this.limits.maxBodies) return null;
    this.#bodies += 1;
    let held = 0;
    let released = false;
    return {
      hold: (bytes) => {
        if (released || this.#bytes + bytes > this.limits.maxBufferedBytes) return false;
        this.#bytes += bytes;
        held += bytes;
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        this.#bodies -= 1;
        this.#bytes -= held;
      },
    };
  }
}
