import { readFile } from "node:fs/promises";
import type { NodeProcess } from "../support/node-process.js";

export interface RssSample {
  node: string;
  life: number;
  rssMb: number;
  at: number;
}

/** VmRSS of a process from /proc/<pid>/status, in MB; undefined when it is gone. */
async function rssMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

export interface MemoryVerdict {
  node: string;
  peakMb: number;
  /** Peak of the last third of the longest life minus the peak of its middle third. */
  lateGrowthMb: number;
  bounded: boolean;
}

/**
 * Samples every running node's resident memory in the background. "Bounded" means: no sample above
 * `capMb`, and, over a node's longest life, the last third's peak is at most `growthMb` above the middle
 * third's (the first third is warm-up: caches and the heap fill up to their caps). A leak that grows with
 * the chain or with the faults shows as late growth.
 */
export class MemoryMonitor {
  readonly samples: RssSample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly nodes: readonly NodeProcess[],
    private readonly intervalMs = 2_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async sample(): Promise<void> {
    const at = Date.now();
    for (const node of this.nodes) {
      const pid = node.pid;
      if (pid === undefined) continue;
      const life = node.starts;
      const mb = await rssMb(pid);
      if (mb !== undefined && node.starts === life) this.samples.push({ node: node.moniker, life, rssMb: mb, at });
    }
  }

  verdicts(capMb: number, growthMb: number): MemoryVerdict[] {
    return this.nodes.map((node) => {
      const mine = this.samples.filter((s) => s.node === node.moniker);
      const lives = new Map<number, RssSample[]>();
      for (const s of mine) lives.set(s.life, [...(lives.get(s.life) ?? []), s]);
      const longest = [...lives.values()].sort((a, b) => b.length - a.length)[0] ?? [];
      const third = Math.floor(longest.length / 3);
      const peak = (xs: RssSample[]) => Math.max(0, ...xs.map((s) => s.rssMb));
      const lateGrowthMb = third === 0 ? 0 : peak(longest.slice(2 * third)) - peak(longest.slice(third, 2 * third));
      const peakMb = peak(mine);
      return { node: node.moniker, peakMb, lateGrowthMb, bounded: peakMb <= capMb && lateGrowthMb <= growthMb };
    });
  }
}
