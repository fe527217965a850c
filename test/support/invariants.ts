import { hexToBytes, verifyInclusion } from "@hansa/core";
import { expect } from "vitest";
import type { NodeProcess } from "./node-process.js";
import type { BlockJson, TxCommittedJson } from "./rpc-types.js";

/**
 * Black-box invariants checked over JSON-RPC only, as CometBFT's e2e suite does: whatever happened to the
 * processes, the answers of the nodes must agree with one another.
 */

/** Every block from 1 to `upTo` on one node. */
export async function fetchBlocks(node: NodeProcess, upTo: number): Promise<BlockJson[]> {
  const blocks: BlockJson[] = [];
  for (let h = 1; h <= upTo; h++) blocks.push(await node.client.blockGet(h));
  return blocks;
}

/**
 * Fork check: for every height any two of `nodes` both have, they report the same block hash; each node's
 * chain links (`prevBlockHash`) and each stored certificate is for the block at its height.
 * Returns the lowest tip among the nodes.
 */
export async function expectNoFork(nodes: NodeProcess[]): Promise<number> {
  const tips = await Promise.all(nodes.map((n) => n.height()));
  const chains = await Promise.all(nodes.map((n, i) => fetchBlocks(n, tips[i] as number)));
  const top = Math.max(...tips);
  for (let h = 1; h <= top; h++) {
    const hashes = new Map<string, string>();
    for (const [i, chain] of chains.entries()) {
      const block = chain[h - 1];
      if (!block) continue;
      hashes.set(nodes[i]?.moniker as string, block.hash);
      expect(block.header.height, `${nodes[i]?.moniker} height field at ${h}`).toBe(h);
      if (h > 1) expect(block.header.prevBlockHash, `${nodes[i]?.moniker} link at ${h}`).toBe(chain[h - 2]?.hash);
      if (block.commit) expect(block.commit.blockHash, `${nodes[i]?.moniker} certificate at ${h}`).toBe(block.hash);
    }
    expect(new Set(hashes.values()).size, `fork at height ${h}: ${JSON.stringify(Object.fromEntries(hashes))}`).toBe(1);
  }
  return Math.min(...tips);
}

/**
 * A committed transaction as every node reports it: the same height, index and block; an ok receipt; and
 * an inclusion proof that verifies against the `txRoot` of that block's header on each node.
 */
export async function expectCommittedEverywhere(nodes: NodeProcess[], hash: string): Promise<TxCommittedJson> {
  let first: TxCommittedJson | undefined;
  for (const node of nodes) {
    const status = await node.client.txGet(hash);
    expect(status.status, `${hash} on ${node.moniker}`).toBe("committed");
    const committed = status as TxCommittedJson;
    expect(committed.receipt.ok, `receipt of ${hash}: ${committed.receipt.code} ${committed.receipt.message}`).toBe(
      true,
    );
    const block = await node.client.blockGet(committed.height);
    expect(block.hash).toBe(committed.blockHash);
    expect(block.txs[committed.index]?.hash).toBe(hash);
    const { proof } = committed;
    expect(proof.root).toBe(block.header.txRoot);
    expect(proof.leaf).toBe(hash);
    expect(proof.treeSize).toBe(block.txs.length);
    const path = proof.path.map((p) => hexToBytes(p));
    expect(verifyInclusion(hexToBytes(proof.leaf), proof.index, proof.treeSize, path, hexToBytes(proof.root))).toBe(
      true,
    );
    if (first) {
      expect({ height: committed.height, index: committed.index, blockHash: committed.blockHash }).toEqual({
        height: first.height,
        index: first.index,
        blockHash: first.blockHash,
      });
    } else {
      first = committed;
    }
  }
  return first as TxCommittedJson;
}

/**
 * Exactly-once: scanning `node`'s whole chain, each of `hashes` appears in exactly one block, once, and no
 * transaction appears twice anywhere.
 */
export async function expectEachCommittedOnce(node: NodeProcess, hashes: readonly string[]): Promise<void> {
  const seen = new Map<string, number>();
  for (const block of await fetchBlocks(node, await node.height())) {
    for (const tx of block.txs) seen.set(tx.hash, (seen.get(tx.hash) ?? 0) + 1);
  }
  const repeated = [...seen].filter(([, n]) => n > 1);
  expect(repeated, "transactions committed more than once").toEqual([]);
  const missing = hashes.filter((h) => !seen.has(h));
  expect(missing, "submitted transactions never committed").toEqual([]);
}
