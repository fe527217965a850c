import { transactionHash } from "@hansa/core";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMempool, type Mempool } from "../../src/mempool/index.js";
import { CHAIN_ID } from "../storage/chain-fixture.js";
import { createHarness, type Harness, label, signedTx } from "./harness.js";

const all = { maxTxs: 1000, maxBytes: 1 << 20 };

describe("reap and update", () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it("reaps in arrival order, each sender in nonce order, and only past no gap", async () => {
    h = await createHarness();
    const arrivals = [signedTx(0, 1), signedTx(1, 0), signedTx(0, 0), signedTx(1, 2), signedTx(2, 0), signedTx(0, 2)];
    for (const t of arrivals) await h.mempool.add(t.bytes);
    // alice's 1 arrived first but waits for her 0, then follows it; bob's 2 waits for a 1 that never came.
    expect(h.mempool.reap(all).map(label)).toEqual(["1:0", "0:0", "0:1", "2:0", "0:2"]);
    expect(h.mempool.reap({ maxTxs: 2, maxBytes: 1 << 20 }).length).toBe(2);
    // Reaping takes nothing out: a failed round loses nothing.
    expect(h.mempool.size).toBe(6);
  });

  it("stops a sender at the byte limit but keeps filling with others", async () => {
    h = await createHarness();
    const txs = [signedTx(0, 0), signedTx(0, 1), signedTx(1, 0)];
    for (const t of txs) await h.mempool.add(t.bytes);
    const size = txs[0]?.bytes.length as number;
    const reaped = h.mempool.reap({ maxTxs: 10, maxBytes: size * 2 - 1 });
    expect(reaped.map(label)).toEqual(["0:0"]);
  });

  it("moves committed transactions out and wakes their waiters with height and index", async () => {
    h = await createHarness();
    const a = signedTx(0, 0);
    const b = signedTx(1, 0);
    await h.mempool.add(a.bytes);
    await h.mempool.add(b.bytes);
    const waiting = h.mempool.waitFor(transactionHash(b.bytes), 60_000);
    await h.commit([a, b]);
    expect(await waiting).toEqual({ status: "committed", height: 1, index: 1 });
    expect(h.mempool.size).toBe(0);
    expect(h.mempool.bytes).toBe(0);
    expect(await h.mempool.status(transactionHash(a.bytes))).toEqual({ status: "committed", height: 1, index: 0 });
    // Already committed: resolves at once.
    expect(await h.mempool.waitFor(transactionHash(a.bytes), 60_000)).toMatchObject({ status: "committed" });
  });

  it("evicts a transaction whose nonce another transaction used, and says so", async () => {
    h = await createHarness();
    const ours = signedTx(0, 0);
    const next = signedTx(0, 1);
    await h.mempool.add(ours.bytes);
    await h.mempool.add(next.bytes);
    const waiting = h.mempool.waitFor(transactionHash(ours.bytes), 60_000);
    // Another validator's mempool held a different nonce-0 transaction of the same sender, and it won.
    await h.commit([signedTx(0, 0, "record.other")]);
    const evicted = { status: "evicted", reason: "NONCE_USED", height: 1 };
    expect(await waiting).toMatchObject(evicted);
    expect(await h.mempool.status(transactionHash(ours.bytes))).toMatchObject(evicted);
    expect(await h.mempool.status(transactionHash(next.bytes))).toEqual({ status: "pending" });
    expect(h.mempool.reap(all).map(label)).toEqual(["0:1"]);
  });

  it("reports an unknown transaction as unknown, also after waiting", async () => {
    h = await createHarness();
    const hash = transactionHash(signedTx(2, 9).bytes);
    expect(await h.mempool.status(hash)).toEqual({ status: "unknown" });
    expect(await h.mempool.waitFor(hash, 1)).toEqual({ status: "unknown" });
  });

  it("expires a transaction stuck behind a nonce gap after ttlBlocks", async () => {
    h = await createHarness({ ttlBlocks: 2 });
    const stuck = signedTx(0, 5);
    await h.mempool.add(stuck.bytes);
    await h.commit([]);
    expect(await h.mempool.status(transactionHash(stuck.bytes))).toEqual({ status: "pending" });
    await h.commit([]);
    expect(await h.mempool.status(transactionHash(stuck.bytes))).toMatchObject({
      status: "evicted",
      reason: "EXPIRED",
    });
  });

  it("re-runs the ledger check after a block when asked to", async () => {
    h = await createHarness({ recheck: "full" });
    const doomed = signedTx(0, 0, "record.doomed");
    await h.mempool.add(doomed.bytes);
    await h.mempool.add(signedTx(1, 0).bytes);
    h.ledger.refuse.add("record.doomed");
    await h.commit([]);
    const status = await h.mempool.status(transactionHash(doomed.bytes));
    expect(status).toMatchObject({ status: "evicted", reason: "RECHECK_FAILED" });
    expect(status.status === "evicted" && status.message).toContain("LEDGER_FORBIDDEN");
    expect(h.mempool.size).toBe(1);
  });

  it("remembers evictions in a bounded record", async () => {
    // Two generations of one: the latest eviction is always remembered, one three evictions back never.
    h = await createHarness({ evictedRecordSize: 2 });
    const pending = [0, 1, 2].map((sender) => signedTx(sender, 0));
    for (const t of pending) await h.mempool.add(t.bytes);
    await h.commit([0, 1, 2].map((sender) => signedTx(sender, 0, "record.other")));
    const [first, , last] = pending.map((t) => transactionHash(t.bytes)) as [Uint8Array, Uint8Array, Uint8Array];
    expect(await h.mempool.status(first)).toEqual({ status: "unknown" });
    expect(await h.mempool.status(last)).toMatchObject({ status: "evicted" });
  });
});

describe("reap under any arrival order (property)", () => {
  // Signed once: 3 senders × 5 nonces.
  const pool = [0, 1, 2].flatMap((s) => [0, 1, 2, 3, 4].map((n) => signedTx(s, n)));
  let mempool: Mempool;
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("returns exactly each sender's gap-free run, in nonce order, once each", async () => {
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(pool, { minLength: 1 }), async (arrivals) => {
        mempool = createMempool({ chainId: CHAIN_ID }, { store: h.store, ledger: h.ledger });
        for (const t of arrivals) await mempool.add(t.bytes);
        const reaped = mempool.reap(all).map(label);
        const expected: string[] = [];
        const arrived = new Set(arrivals.map(label));
        for (const s of [0, 1, 2]) {
          for (let n = 0; arrived.has(`${s}:${n}`); n++) expected.push(`${s}:${n}`);
        }
        expect([...reaped].sort()).toEqual(expected.sort());
        for (const s of [0, 1, 2]) {
          const ofSender = reaped.filter((l) => l.startsWith(`${s}:`));
          expect(ofSender).toEqual(ofSender.map((_, i) => `${s}:${i}`));
        }
        mempool.stop();
      }),
      { numRuns: 40 },
    );
  });
});
