import type { NodeProcess } from "../support/node-process.js";
import type { Ack } from "./acked-load.js";
import { rpcBatch } from "./rpc-batch.js";

/** What the audit keeps of a block. */
interface BlockFacts {
  hash: string;
  prevBlockHash: string;
  certifies: string | undefined;
  txs: string[];
}

interface BlockAnswer {
  hash: string;
  header: { height: number; prevBlockHash: string };
  commit?: { blockHash: string } | null;
  txs: { hash: string }[];
}

export interface AuditFindings {
  /** Lowest and highest tip among the nodes. */
  lowestTip: number;
  highestTip: number;
  /** Heights where two nodes hold different blocks, or a chain does not link. */
  forks: string[];
  /** Acknowledged transactions missing on some node, or found elsewhere than where the client saw them. */
  lost: string[];
  /** Transactions that appear more than once in a node's chain. */
  duplicated: string[];
}

/**
 * The black-box checks after a scenario, over JSON-RPC only: no fork (same block hash at every common
 * height, each chain links, each certificate is for its block), no acknowledged transaction lost (each is
 * in every node's chain, once, at the height and block the client saw, and tx_get on every node says so),
 * and nothing committed twice. Blocks are cached per node between audits (a committed block never
 * changes, and the final audit re-reads everything from scratch to make sure of it).
 */
export class ChainAudit {
  private readonly cache: Map<number, BlockFacts>[];
  /** Acks already confirmed by tx_get on every node in an earlier audit. */
  private confirmed = 0;

  constructor(private readonly nodes: readonly NodeProcess[]) {
    this.cache = nodes.map(() => new Map());
  }

  async run(acks: readonly Ack[], options: { fresh?: boolean } = {}): Promise<AuditFindings> {
    if (options.fresh) {
      for (const c of this.cache) c.clear();
      this.confirmed = 0;
    }
    const tips = await Promise.all(this.nodes.map((n) => n.height()));
    await Promise.all(this.nodes.map((n, i) => this.fill(i, n, tips[i] as number)));
    const forks = this.forks(tips);
    const duplicated = this.duplicates();
    const lost = this.missingInChains(acks);
    lost.push(...(await this.missingByTxGet(acks.slice(this.confirmed))));
    if (lost.length === 0) this.confirmed = acks.length;
    return { lowestTip: Math.min(...tips), highestTip: Math.max(...tips), forks, lost, duplicated };
  }

  private async fill(index: number, node: NodeProcess, tip: number): Promise<void> {
    const cache = this.cache[index] as Map<number, BlockFacts>;
    const heights: number[] = [];
    for (let h = 1; h <= tip; h++) if (!cache.has(h)) heights.push(h);
    const outcomes = await rpcBatch(
      node.node.rpcUrl,
      heights.map((h) => ({ method: "block_get", params: [h] })),
      100,
    );
    for (const [i, outcome] of outcomes.entries()) {
      if (!outcome.ok) throw new Error(`${node.moniker} block_get ${heights[i]}: ${outcome.reason}`);
      const b = outcome.result as BlockAnswer;
      if (b.header.height !== heights[i]) throw new Error(`${node.moniker} answered height ${b.header.height}`);
      cache.set(b.header.height, {
        hash: b.hash,
        prevBlockHash: b.header.prevBlockHash,
        certifies: b.commit?.blockHash ?? undefined,
        txs: b.txs.map((t) => t.hash),
      });
    }
  }

  private forks(tips: readonly number[]): string[] {
    const found: string[] = [];
    const top = Math.max(...tips);
    for (let h = 1; h <= top; h++) {
      const byNode = new Map<string, string>();
      for (const [i, cache] of this.cache.entries()) {
        const block = cache.get(h);
        if (!block) continue;
        const name = this.nodes[i]?.moniker as string;
        byNode.set(name, block.hash);
        const prev = cache.get(h - 1);
        if (prev && block.prevBlockHash !== prev.hash) found.push(`${name}: block ${h} does not link to ${h - 1}`);
        if (block.certifies !== undefined && block.certifies !== block.hash) {
          found.push(`${name}: the certificate stored at ${h} is for another block`);
        }
      }
      if (new Set(byNode.values()).size > 1) found.push(`height ${h}: ${JSON.stringify(Object.fromEntries(byNode))}`);
    }
    return found;
  }

  private duplicates(): string[] {
    const found: string[] = [];
    for (const [i, cache] of this.cache.entries()) {
      const seen = new Map<string, number>();
      for (const [h, block] of cache) {
        for (const tx of block.txs) {
          const first = seen.get(tx);
          if (first !== undefined) found.push(`${this.nodes[i]?.moniker}: ${tx} at ${first} and ${h}`);
          else seen.set(tx, h);
        }
      }
    }
    return found;
  }

  /** Each ack is in the block the client saw, on every node that has that height. */
  private missingInChains(acks: readonly Ack[]): string[] {
    const found: string[] = [];
    for (const [i, cache] of this.cache.entries()) {
      for (const ack of acks) {
        const block = cache.get(ack.height);
        if (!block) {
          found.push(`${this.nodes[i]?.moniker}: does not have height ${ack.height} of acknowledged ${ack.hash}`);
        } else if (block.hash !== ack.blockHash || !block.txs.includes(ack.hash)) {
          found.push(`${this.nodes[i]?.moniker}: acknowledged ${ack.hash} is not in its block ${ack.height}`);
        }
      }
    }
    return found;
  }

  /** tx_get on every node answers "committed" at the height and block the client saw. */
  private async missingByTxGet(acks: readonly Ack[]): Promise<string[]> {
    const found: string[] = [];
    await Promise.all(
      this.nodes.map(async (node) => {
        const outcomes = await rpcBatch(
          node.node.rpcUrl,
          acks.map((a) => ({ method: "tx_get", params: [a.hash] })),
          200,
        );
        for (const [i, outcome] of outcomes.entries()) {
          const ack = acks[i] as Ack;
          const status = outcome.ok
            ? (outcome.result as { status: string; height?: number; blockHash?: string })
            : null;
          if (status?.status !== "committed" || status.height !== ack.height || status.blockHash !== ack.blockHash) {
            found.push(`${node.moniker}: tx_get ${ack.hash} answered ${JSON.stringify(status ?? outcome)}`);
          }
        }
      }),
    );
    return found;
  }
}
