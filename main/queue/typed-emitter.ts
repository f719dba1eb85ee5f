/**
 * A small typed event emitter. Listeners are called synchronously; one that throws is reported
 * to the error listener and never breaks the emitter's caller (the delivery loop must not stop
 * because a UI subscriber has a bug). Subscribing returns the unsubscribe function.
 */

type Listener<T> = (payload: T) => void;

export class TypedEmitter<EventMap extends object> {
  readonly #listeners = new Map<keyof EventMap, Set<Listener<never>>>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = () => {}) {
    this.#onListenerError = onListenerError;
  }

  on<K extends keyof EventMap>(name: K, listener: Listener<EventMap[K]>): () => void {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => this.off(name, listener);
  }

  off<K extends keyof EventMap>(name: K, listener: Listener<EventMap[K]>): void {
    this.#listeners.get(name)?.delete(listener as Listener<never>);
  }

  emit<K extends keyof EventMap>(name: K, payload: EventMap[K]): void {
    for (const listener of [...(this.#listeners.get(name) ?? [])]) {
      try {
        (listener as Listener<EventMap[K]>)(payload);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }

  listenerCount(name: keyof EventMap): number {
    return this.#listeners.get(name)?.size ?? 0;
  }
}
