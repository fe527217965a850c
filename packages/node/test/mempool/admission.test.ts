import { bytesTo0x, HansaError, transactionHash } from "@hansa/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MEMPOOL_ERROR_CODES, TxSource } from "../../src/mempool/index.js";
import { createHarness, type Harness, rejection, signedTx } from "./harness.js";

let h: Harness;

afterEach(async () => {
  await h.close();
});

describe("mempool admission", () => {
  it("admits a valid transaction once and remembers its verified signature", async () => {
    h = await createHarness();
    const { bytes } = signedTx(0, 0);
    const { hash } = await h.mempool.add(bytes);
    expect(hash).toEqual(transactionHash(bytes));
    expect(h.mempool.size).toBe(1);
    expect(h.mempool.bytes).toBe(bytes.length);
    expect(await h.mempool.status(hash)).toEqual({ status: "pending" });
    expect(h.mempool.isVerified(hash)).toBe(true);
    expect((await rejection(h.mempool.add(bytes, TxSource.gossip))).code).toBe("MEMPOOL_DUPLICATE");
  });

  it("lets only one of two racing copies of a transaction in", async () => {
    h = await createHarness();
    const { bytes } = signedTx(0, 0);
    const results = await Promise.allSettled([h.mempool.add(bytes), h.mempool.add(Uint8Array.from(bytes))]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(h.mempool.size).toBe(1);
  });

  it("refuses bad transactions, each with its own code", async () => {
    h = await createHarness({ maxTxBytes: 300 });
    const big = signedTx(0, 0);
    const tooLarge = new Uint8Array(301);
    expect(await rejection(h.mempool.add(tooLarge))).toEqual({
      code: "MEMPOOL_TX_TOO_LARGE",
      type: { code: "MEMPOOL_TX_TOO_LARGE", size: 301, max: 300 },
    });
    expect((await rejection(h.mempool.add(Uint8Array.of(1, 2, 3)))).code).toBe("MEMPOOL_MALFORMED");
    expect((await rejection(h.mempool.add(signedTx(0, 0, "record.put", "other-chain").bytes))).type).toEqual({
      code: "MEMPOOL_WRONG_CHAIN",
      chainId: "other-chain",
      expected: "test-chain",
    });
    const forged = signedTx(1, 0);
    const tampered = Uint8Array.from(forged.bytes);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    expect((await rejection(h.mempool.add(tampered))).code).toBe("MEMPOOL_BAD_SIGNATURE");
    expect(h.mempool.isVerified(transactionHash(tampered))).toBe(false);
    expect(h.mempool.size).toBe(0);
    await h.mempool.add(big.bytes);
  });

  it("passes the ledger's own error through unchanged", async () => {
    h = await createHarness();
    const err = await h.mempool.add(signedTx(0, 0, "forbidden").bytes).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HansaError);
    expect((err as HansaError<{ code: string }>).type).toEqual({ code: "LEDGER_FORBIDDEN", kind: "forbidden" });
    expect(h.mempool.size).toBe(0);
  });

  it("dry-runs what clients submit, and what peers gossip only when configured to", async () => {
    h = await createHarness();
    // A peer relays only what a node it was submitted to dry-ran; one that fails anyway gets a failed receipt.
    await h.mempool.add(signedTx(0, 0, "forbidden").bytes, TxSource.gossip);
    expect(h.ledger.dryRuns).toBe(0);
    expect((await rejection(h.mempool.add(signedTx(1, 0, "forbidden").bytes))).code).toBe("LEDGER_FORBIDDEN");
    expect(h.ledger.dryRuns).toBe(1);
    await h.close();

    h = await createHarness({ dryRunGossip: true });
    const gossiped = h.mempool.add(signedTx(0, 0, "forbidden").bytes, TxSource.gossip);
    expect((await rejection(gossiped)).code).toBe("LEDGER_FORBIDDEN");
    expect(h.mempool.size).toBe(0);
  });

  it("orders nonces: refuses used, taken and too-far nonces, and accepts a small gap", async () => {
    h = await createHarness({ nonceWindow: 4 });
    const first = signedTx(0, 0);
    await h.mempool.add(first.bytes);
    const rival = signedTx(0, 0, "record.other");
    expect((await rejection(h.mempool.add(rival.bytes))).type).toEqual({
      code: "MEMPOOL_NONCE_TAKEN",
      nonce: 0,
      pendingHash: bytesTo0x(transactionHash(first.bytes)),
    });
    await h.mempool.add(signedTx(0, 1).bytes);
    await h.mempool.add(signedTx(0, 3).bytes); // nonce 2 missing: held, not executable
    expect((await rejection(h.mempool.add(signedTx(0, 4).bytes))).type).toEqual({
      code: "MEMPOOL_NONCE_GAP",
      nonce: 4,
      expected: 2,
      window: 4,
    });
    // The ledger saw each accepted nonce with the nonce it would execute after.
    expect(h.ledger.checks).toEqual([
      { nonce: 0, expected: 0 },
      { nonce: 1, expected: 1 },
      { nonce: 3, expected: 2 },
    ]);
    await h.commit([first]);
    expect((await rejection(h.mempool.add(rival.bytes))).type).toEqual({
      code: "MEMPOOL_NONCE_TOO_LOW",
      nonce: 0,
      expected: 1,
    });
    // The window moves with the committed nonce.
    await h.mempool.add(signedTx(0, 4).bytes);
  });

  it("re-validates an admission that a block overtook", async () => {
    h = await createHarness();
    let open = () => {};
    h.ledger.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const late = h.mempool.add(signedTx(0, 0).bytes);
    while (h.ledger.checks.length === 0) await new Promise((r) => setImmediate(r));
    // While the ledger check is in flight, a block commits another nonce-0 transaction of the same sender.
    h.ledger.gate = undefined;
    await h.commit([signedTx(0, 0, "record.other")]);
    open();
    expect((await rejection(late)).code).toBe("MEMPOOL_NONCE_TOO_LOW");
    expect(h.mempool.size).toBe(0);
  });

  it("refuses a committed transaction as a replay", async () => {
    h = await createHarness();
    const tx = signedTx(0, 0);
    await h.mempool.add(tx.bytes);
    await h.commit([tx]);
    expect((await rejection(h.mempool.add(tx.bytes))).type).toEqual({
      code: "MEMPOOL_ALREADY_COMMITTED",
      hash: bytesTo0x(transactionHash(tx.bytes)),
      height: 1,
      index: 0,
    });
  });

  it("reads the committed index only for a used nonce, the one way a transaction can be committed", async () => {
    h = await createHarness();
    const lookups = vi.spyOn(h.store, "getTxLocation");
    const first = signedTx(0, 0);
    await h.mempool.add(first.bytes);
    await h.mempool.add(signedTx(0, 1).bytes);
    expect(lookups).not.toHaveBeenCalled();
    await h.commit([first]);
    // Same nonce, other transaction: looked up, not found, refused for its nonce.
    expect((await rejection(h.mempool.add(signedTx(0, 0, "record.other").bytes))).code).toBe("MEMPOOL_NONCE_TOO_LOW");
    expect(lookups).toHaveBeenCalledTimes(1);
  });

  it("is bounded in transactions and in bytes", async () => {
    h = await createHarness({ maxTxs: 2 });
    await h.mempool.add(signedTx(0, 0).bytes);
    await h.mempool.add(signedTx(1, 0).bytes);
    expect((await rejection(h.mempool.add(signedTx(2, 0).bytes))).type).toEqual({
      code: "MEMPOOL_FULL",
      limit: "txs",
      max: 2,
    });
    await h.close();

    const one = signedTx(0, 0).bytes.length;
    h = await createHarness({ maxBytes: one * 2 - 1 });
    await h.mempool.add(signedTx(0, 0).bytes);
    expect((await rejection(h.mempool.add(signedTx(1, 0).bytes))).code).toBe("MEMPOOL_FULL");
    expect(h.mempool.bytes).toBe(one);
  });

  it("refuses everything once stopped", async () => {
    h = await createHarness();
    h.mempool.stop();
    expect((await rejection(h.mempool.add(signedTx(0, 0).bytes))).code).toBe("MEMPOOL_STOPPED");
  });

  it("lists every code once", () => {
    expect(new Set(MEMPOOL_ERROR_CODES).size).toBe(MEMPOOL_ERROR_CODES.length);
  });
});
