import { node } from "./paths.mjs";

/**
 * Watches the chain through one node's `newBlocks` WebSocket subscription and turns it into measurements:
 * every block's height, block time (from its header), transaction count and arrival time here, and each
 * bench transaction's submit-to-commit latency (submit time recorded by the driver, commit time = arrival of
 * the block that holds it).
 */
export class ChainWatch {
  constructor({ rpcUrl, ids, capacity }) {
    this.rpcUrl = rpcUrl;
    /** tx hash → index into the per-transaction arrays. */
    this.ids = ids;
    this.submitAt = new Float64Array(capacity);
    this.phaseOf = new Int16Array(capacity).fill(-1);
    this.blocks = [];
    this.latencies = new Map();
    this.submitted = 0;
    this.committed = 0;
    this.rejected = 0;
    this.waiters = [];
  }

  /** Submitted and neither committed nor refused yet. */
  get outstanding() {
    return this.submitted - this.committed - this.rejected;
  }

  /** Subscribes with the project's own client, which resubscribes from the next height after a disconnect. */
  async start() {
    const client = new node.HansaClient(this.rpcUrl);
    this.subscription = client.subscribeBlocks((block) => this.onBlock(block, Date.now()), {
      onError: (err) => process.stderr.write(`block subscription: ${err.message ?? err}\n`),
    });
    await this.subscription.ready;
  }

  stop() {
    this.subscription?.close();
  }

  markSubmitted(items, at, phase) {
    for (const item of items) {
      // A resubmitted transaction keeps its first submit time: its latency includes the refusals.
      if (this.submitAt[item.id] === 0) {
        this.submitAt[item.id] = at;
        this.phaseOf[item.id] = phase;
      }
    }
    this.submitted += items.length;
  }

  markRejected(count) {
    this.rejected += count;
    this.wake();
  }

  onBlock(block, arrival) {
    const { height, time } = block.header;
    let ours = 0;
    for (const hash of block.txHashes) {
      const id = this.ids.get(hash);
      if (id === undefined) continue;
      const phase = this.phaseOf[id];
      if (phase < 0) continue;
      ours++;
      if (!this.latencies.has(phase)) this.latencies.set(phase, []);
      this.latencies.get(phase).push(arrival - this.submitAt[id]);
      this.phaseOf[id] = -1;
    }
    this.committed += ours;
    this.blocks.push({ height, time, txs: block.txHashes.length, arrival });
    this.wake();
  }

  /** Resolves at the next block or refusal (or after `ms`), for drivers that wait for room. */
  changed(ms = 1_000) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Blocks whose header time lies in (from, to]. */
  blocksBetween(from, to) {
    return this.blocks.filter((b) => b.time > from && b.time <= to);
  }
}
