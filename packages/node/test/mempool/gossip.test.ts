import { transactionHash } from "@hansa/core";
import { afterEach, describe, expect, it } from "vitest";
import { TxSource } from "../../src/mempool/index.js";
import { createHarness, type Harness, signedTx } from "./harness.js";

let h: Harness;

afterEach(async () => {
  await h.close();
});

const hour = 3_600_000;

describe("gossip batching", () => {
  it("sends one batch when it reaches its count, and the rest on flush", async () => {
    h = await createHarness({ gossipBatchTxs: 3, gossipIntervalMs: hour });
    const batches: (readonly Uint8Array[])[] = [];
    h.mempool.onAdmitted((batch) => batches.push(batch));
    const txs = [0, 1, 2, 3].map((n) => signedTx(0, n));
    for (const t of txs) await h.mempool.add(t.bytes);
    expect(batches).toEqual([txs.slice(0, 3).map((t) => t.bytes)]);
    h.mempool.flushGossip();
    expect(batches[1]).toEqual([txs[3]?.bytes]);
  });

  it("cuts batches at the byte limit", async () => {
    const size = signedTx(0, 0).bytes.length;
    h = await createHarness({ gossipBatchBytes: size * 2, gossipIntervalMs: hour });
    const sizes: number[] = [];
    h.mempool.onAdmitted((batch) => sizes.push(batch.length));
    for (const n of [0, 1, 2, 3, 4]) await h.mempool.add(signedTx(0, n).bytes);
    h.mempool.flushGossip();
    expect(sizes).toEqual([2, 2, 1]);
  });

  it("sends a partial batch after the interval", async () => {
    h = await createHarness({ gossipIntervalMs: 5 });
    const sent = new Promise<readonly Uint8Array[]>((resolve) => h.mempool.onAdmitted(resolve));
    const tx = signedTx(1, 0);
    await h.mempool.add(tx.bytes);
    expect(await sent).toEqual([tx.bytes]);
  });

  it("does not re-broadcast what peers sent, unless configured to", async () => {
    h = await createHarness({ gossipIntervalMs: hour });
    const seen: Uint8Array[] = [];
    h.mempool.onAdmitted((batch) => seen.push(...batch));
    const fromPeer = signedTx(0, 0);
    const fromClient = signedTx(1, 0);
    await h.mempool.add(fromPeer.bytes, TxSource.gossip);
    await h.mempool.add(fromClient.bytes, TxSource.rpc);
    h.mempool.flushGossip();
    expect(seen).toEqual([fromClient.bytes]);
    // Admitted either way, and verified either way.
    expect(h.mempool.isVerified(transactionHash(fromPeer.bytes))).toBe(true);
    await h.close();

    h = await createHarness({ gossipIntervalMs: hour, regossip: true });
    const again: Uint8Array[] = [];
    h.mempool.onAdmitted((batch) => again.push(...batch));
    await h.mempool.add(fromPeer.bytes, TxSource.gossip);
    h.mempool.flushGossip();
    expect(again).toEqual([fromPeer.bytes]);
  });

  it("keeps admitting when a handler throws, and stops sending to an unsubscribed one", async () => {
    h = await createHarness({ gossipBatchTxs: 1 });
    let calls = 0;
    const unsubscribe = h.mempool.onAdmitted(() => {
      calls++;
      throw new Error("network down");
    });
    await h.mempool.add(signedTx(0, 0).bytes);
    unsubscribe();
    await h.mempool.add(signedTx(0, 1).bytes);
    expect(calls).toBe(1);
    expect(h.mempool.size).toBe(2);
  });
});

describe("verified-signature cache and waiting", () => {
  it("records signatures verified elsewhere and resolves a wait as pending at its timeout", async () => {
    h = await createHarness();
    const tx = signedTx(2, 0);
    const hash = transactionHash(tx.bytes);
    expect(h.mempool.isVerified(hash)).toBe(false);
    h.mempool.markVerified(hash);
    expect(h.mempool.isVerified(hash)).toBe(true);
    await h.mempool.add(tx.bytes);
    expect(await h.mempool.waitFor(hash, 1)).toEqual({ status: "pending" });
  });
});
