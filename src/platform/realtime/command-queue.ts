// A connection's incoming frames, run strictly one after another: centrifuge-js matches replies by
// id but expects pushes and replies in the order they happened. A client that keeps sending while
// its commands wait (e.g. on a slow authorizer) is refused instead of growing the queue.

/** How much one connection may send ahead of the answers. */
export interface CommandLimits {
  maxCommandsPerFrame: number;
  maxPendingCommands: number;
}

/** Runs frames in arrival order and counts the commands not yet answered. */
export class CommandQueue {
  private readonly limits: CommandLimits;
  private readonly run: (lines: string[]) => Promise<void>;
  private readonly failed: (err: unknown) => void;
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  /** `run` handles one frame's lines; `failed` gets what it throws, and the next frame still runs. */
  constructor(limits: CommandLimits, run: (lines: string[]) => Promise<void>, failed: (err: unknown) => void) {
    this.limits = limits;
    this.run = run;
    this.failed = failed;
  }

  /** Commands received and not yet run to the end of their frame. */
  get pendingCommands(): number {
    return this.pending;
  }

  /** Queues a frame's command lines; false, queueing nothing, if they would pass a limit. */
  push(lines: string[]): boolean {
    // Counted in commands, not frames, so that neither many small frames nor a few full ones pile
    // up. An empty frame still takes a turn, to be refused in its place.
    const weight = Math.max(1, lines.length);
    if (lines.length > this.limits.maxCommandsPerFrame || this.pending + weight > this.limits.maxPendingCommands) {
      return false;
    }
    this.pending += weight;
    this.tail = this.tail
      .then(() => this.run(lines))
      .catch(this.failed)
      .finally(() => {
        this.pending -= weight;
      });
    return true;
  }
}
