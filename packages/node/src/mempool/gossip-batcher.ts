import type { GossipHandler } from "./types.js";

export interface GossipBatcherOptions {
  maxTxs: number;
  maxBytes: number;
  intervalMs: number;
  onError: (err: unknown) => void;
}

/**
 * Collects admitted transactions into batches so the network sends one message per batch rather than one per
 * transaction: a batch goes out when it reaches `maxTxs` or `maxBytes`, or `intervalMs` after its first
 * transaction, whichever comes first.
 */
export class GossipBatcher {
  private readonly options: GossipBatcherOptions;
  private readonly handlers = new Set<GossipHandler>();
  private batch: Uint8Array[] = [];
  private bytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: GossipBatcherOptions) {
    this.options = options;
  }

  subscribe(handler: GossipHandler): () => void {
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }

  push(tx: Uint8Array): void {
    // Nobody to broadcast to (a node without networking, a test): keep nothing.
    if (this.handlers.size === 0) return;
    if (this.batch.length > 0 && this.bytes + tx.length > this.options.maxBytes) this.flush();
    this.batch.push(tx);
    this.bytes += tx.length;
    if (this.batch.length >= this.options.maxTxs || this.bytes >= this.options.maxBytes) {
      this.flush();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.options.intervalMs);
      // A pending batch must not keep the process alive on shutdown.
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    this.bytes = 0;
    for (const handler of this.handlers) {
      try {
        handler(batch);
      } catch (err) {
        this.options.onError(err);
      }
    }
  }

  /** Sends what is pending and stops the timer. */
  stop(): void {
    this.flush();
  }
}
