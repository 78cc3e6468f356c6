// The listeners a broker hands publications, disconnect orders or resets to.

/** Listeners of one kind; one that throws goes to `onError` and never stops the others. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();
  private readonly onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void) {
    this.onError = onError;
  }

  /** Registers a listener; returns the function that removes it. */
  add(listener: (value: T) => void): () => void {
    // Wrapped so the same function registered twice is two registrations, each removable once.
    const entry = (value: T) => listener(value);
    this.set.add(entry);
    return () => {
      this.set.delete(entry);
    };
  }

  /** Hands `value` to every listener registered now. */
  emit(value: T): void {
    for (const listener of [...this.set]) {
      try {
        listener(value);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}
