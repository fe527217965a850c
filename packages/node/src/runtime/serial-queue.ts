/**
 * Runs async jobs one at a time in arrival order: the consensus host's single loop. Every input to the
 * engine (a message, a timeout, an application reply, a synced block) goes through it, so the engine never
 * sees two inputs at once and each input's actions (persist, then broadcast, then commit) complete before
 * the next input is applied.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(private readonly onError: (err: unknown) => void) {}

  /** Queues a job whose failure is reported to `onError`; the queue goes on. */
  push(job: () => Promise<void> | void): void {
    this.run(job).catch(this.onError);
  }

  /** Queues a job and returns its own result or failure. */
  run<T>(job: () => Promise<T> | T): Promise<T> {
    this.pending++;
    const result = this.tail.then(job).finally(() => {
      this.pending--;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  get size(): number {
    return this.pending;
  }
}
