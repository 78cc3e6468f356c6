// The single-node broker: streams live in this process, so offsets restart (under a new epoch)
// when it does. A Redis broker replaces it when Parley runs on several nodes.

import { randomBytes } from 'node:crypto';
import type { Broker, Publication, StreamPosition } from './types.ts';

/** Options of the in-process broker. */
export interface MemoryBrokerOptions {
  /** Called when a listener throws; by default the error is rethrown outside publish(). */
  onListenerError?: (err: unknown) => void;
}

// Thrown asynchronously so a faulty listener is loud but cannot fail a publish that happened.
function rethrowLater(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}

/** Broker for one process: per-channel offsets from 1 and an epoch chosen when a channel is first seen. */
export class MemoryBroker implements Broker {
  // Every channel seen keeps its entry for the process life: its epoch must not change while
  // clients hold positions in it.
  private readonly streams = new Map<string, StreamPosition>();
  private readonly listeners = new Set<(pub: Publication) => void>();
  private readonly onListenerError: (err: unknown) => void;

  constructor(opts: MemoryBrokerOptions = {}) {
    this.onListenerError = opts.onListenerError ?? rethrowLater;
  }

  /** Appends to the channel's stream and hands the publication to every listener before returning. */
  async publish(channel: string, data: unknown): Promise<Publication> {
    const { offset, epoch } = this.advance(channel);
    const pub: Publication = { channel, offset, epoch, data };
    for (const listener of [...this.listeners]) {
      try {
        listener(pub);
      } catch (err) {
        this.onListenerError(err);
      }
    }
    return pub;
  }

  /** Where the channel's stream stands (offset 0 if nothing was published to it yet). */
  async position(channel: string): Promise<StreamPosition> {
    const { offset, epoch } = this.stream(channel);
    return { offset, epoch };
  }

  /** Registers a listener for all channels; returns the function that removes it. */
  onPublication(listener: (pub: Publication) => void): () => void {
    // Wrapped so the same function registered twice is two registrations, each removable once.
    const entry = (pub: Publication) => listener(pub);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Drops all listeners; streams are kept, as a restart would lose them anyway. */
  async close(): Promise<void> {
    this.listeners.clear();
  }

  // The one place positions move. History, when it comes, is appended here.
  private advance(channel: string): StreamPosition {
    const stream = this.stream(channel);
    stream.offset += 1;
    return { offset: stream.offset, epoch: stream.epoch };
  }

  private stream(channel: string): StreamPosition {
    let stream = this.streams.get(channel);
    if (stream === undefined) {
      stream = { offset: 0, epoch: randomBytes(4).toString('hex') };
      this.streams.set(channel, stream);
    }
    return stream;
  }
}
