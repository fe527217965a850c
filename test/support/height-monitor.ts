import type { NodeProcess } from "./node-process.js";

export interface HeightSample {
  node: string;
  /** Which life of the process (NodeProcess.starts) answered. */
  life: number;
  height: number;
  at: number;
}

/**
 * Polls `chain_status` of every running node in the background and records what each answered, so a test
 * can assert "heights only go up" over a whole scenario, crashes included, and read the highest height
 * the network reached while some nodes were down.
 */
export class HeightMonitor {
  readonly samples: HeightSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly nodes: readonly NodeProcess[],
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await Promise.all(
        this.nodes
          .filter((n) => n.running)
          .map(async (node) => {
            const life = node.starts;
            try {
              const height = await node.height();
              if (node.starts === life) this.samples.push({ node: node.moniker, life, height, at: Date.now() });
            } catch {
              // Starting or just killed: nothing to record.
            }
          }),
      );
    } finally {
      this.polling = false;
    }
  }

  /** Highest height `node` reported so far (0 if none). */
  highest(node: NodeProcess): number {
    let top = 0;
    for (const s of this.samples) if (s.node === node.moniker && s.height > top) top = s.height;
    return top;
  }

  /**
   * Every time a node reported a lower height than it had reported before: within one life always a
   * violation; across lives too, unless the node's store was deleted (`resetAfterLife`).
   */
  regressions(resetAfterLife: Record<string, number> = {}): string[] {
    const last = new Map<string, HeightSample>();
    const found: string[] = [];
    for (const s of this.samples) {
      const prev = last.get(s.node);
      const wiped = prev !== undefined && prev.life !== s.life && resetAfterLife[s.node] === prev.life;
      if (prev && !wiped && s.height < prev.height) {
        found.push(`${s.node}: ${prev.height} (life ${prev.life}) then ${s.height} (life ${s.life})`);
      }
      last.set(s.node, s);
    }
    return found;
  }
}
