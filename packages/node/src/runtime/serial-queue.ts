/**
 * Runs async jobs one at a time in arrival order: the consensus host's single loop. Every input to the
 * engine (a message, a timeout, an application reply) goes through it, so the engine never sees two inputs
 * at once and each input's actions (persist, then broadcast) complete before the next input is applied.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly onError: (err: unknown) => void) {}

  push(job: () => Promise<void> | void): Promise<void> {
    this.pending++;
    const run = this.tail.then(job).catch(this.onError).finally(() => {
      this.pending--;
    });
    this.tail = run;
    return run;
  }

  get size(): number {
    return this.pending;
  }

  /** Resolves when every job pushed so far has finished. */
  idle(): Promise<void> {
    return this.tail;
  }
}
