import {
  addressFromPublicKey,
  bytesTo0x,
  getPublicKey,
  hexToBytes,
  transactionHash,
  utf8ToBytes,
  verifyInclusion,
} from "@hansa/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RPC_METHODS, TxCommittedJson, TxStatusJson } from "../../src/rpc/index.js";
import { call, generateSecretKey, type Harness, signedTx, startHarness } from "./harness.js";

type Answer = {
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string; data: Record<string, unknown> };
};

let h: Harness;
const alice = generateSecretKey();
const alicePub = getPublicKey(alice);

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function rpc(method: string, params?: unknown): Promise<Answer> {
  return (await h.post(call(method, params))).json as Answer;
}

async function result<T = Record<string, unknown>>(method: string, params?: unknown): Promise<T> {
  const answer = await rpc(method, params);
  expect(answer.error).toBeUndefined();
  return answer.result as T;
}

describe("transactions", () => {
  it("tx_submit admits a transaction, tx_get shows it pending, then committed with a proof that verifies", async () => {
    const encoded = signedTx(alice, 0);
    const hash = bytesTo0x(transactionHash(encoded));
    expect(await result("tx_submit", [bytesTo0x(encoded)])).toEqual({ hash });
    expect(await result("tx_get", [hash])).toMatchObject({ status: "pending", hash, tx: { nonce: 0 } });

    h.api.commitBlock();
    const committed = TxCommittedJson.parse(await result("tx_get", { hash }));
    expect(committed).toMatchObject({ status: "committed", height: h.api.height, index: 0, receipt: { ok: true } });
    expect(committed.tx.senderAddress).toBe(addressFromPublicKey(alicePub));
    const p = committed.proof;
    const header = ((await result("block_get", [committed.height])) as { header: { txRoot: string } }).header;
    expect(p.root).toBe(header.txRoot);
    expect(
      verifyInclusion(
        hexToBytes(p.leaf),
        p.index,
        p.treeSize,
        p.path.map((x) => hexToBytes(x)),
        hexToBytes(p.root),
      ),
    ).toBe(true);
  });

  it("maps the node's refusals to documented codes with their metadata", async () => {
    const stale = await rpc("tx_submit", [bytesTo0x(signedTx(alice, 0, undefined, "again"))]);
    expect(stale.error).toMatchObject({ code: -32020, data: { code: "LEDGER_NONCE_STALE", expected: 1, got: 0 } });
    const gap = await rpc("tx_submit", [bytesTo0x(signedTx(alice, 5))]);
    expect(gap.error).toMatchObject({ code: -32021, data: { code: "LEDGER_NONCE_GAP" } });
    const wrongChain = await rpc("tx_submit", [bytesTo0x(signedTx(alice, 1, "other-chain"))]);
    expect(wrongChain.error).toMatchObject({ code: -32012, data: { code: "LEDGER_WRONG_CHAIN", got: "other-chain" } });
    const tampered = signedTx(alice, 1);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    const bad = await rpc("tx_submit", [bytesTo0x(tampered)]);
    expect(bad.error).toMatchObject({ code: -32013, data: { code: "LEDGER_BAD_SIGNATURE" } });
    const garbage = await rpc("tx_submit", ["0x00ff"]);
    expect(garbage.error?.code).toBe(-32010);
    expect(String(garbage.error?.data.code)).toMatch(/^ENCODING_/);

    const ok = signedTx(alice, 1);
    await result("tx_submit", [bytesTo0x(ok)]);
    const dup = await rpc("tx_submit", [bytesTo0x(ok)]);
    expect(dup.error).toMatchObject({ code: -32022, data: { code: "MEMPOOL_DUPLICATE" } });
    h.api.commitBlock();
    const again = await rpc("tx_submit", [bytesTo0x(ok)]);
    expect(again.error).toMatchObject({ code: -32023, data: { code: "MEMPOOL_ALREADY_COMMITTED" } });
  });

  it("MEMPOOL_FULL is a capacity error", async () => {
    const bob = generateSecretKey();
    h.api.maxPending = 0;
    try {
      const full = await rpc("tx_submit", [bytesTo0x(signedTx(bob, 0))]);
      expect(full.error).toMatchObject({ code: -32040, data: { code: "MEMPOOL_FULL", limit: 0 } });
    } finally {
      h.api.maxPending = 1000;
    }
  });

  it("tx_submitAndWait returns the receipt once committed", async () => {
    const encoded = signedTx(alice, 2);
    const waiting = rpc("tx_submitAndWait", [bytesTo0x(encoded), 10_000]);
    // Commit once the server has admitted the transaction.
    while (h.api.pending.length === 0) await new Promise((r) => setTimeout(r, 1));
    const block = h.api.commitBlock();
    const answer = await waiting;
    expect(answer.result).toMatchObject({
      status: "committed",
      hash: bytesTo0x(transactionHash(encoded)),
      height: block.header.height,
      receipt: { ok: true, code: "" },
    });
  });

  it("tx_submitAndWait times out with TIMEOUT and the hash, so the caller can poll", async () => {
    const encoded = signedTx(alice, 3);
    const answer = await rpc("tx_submitAndWait", { tx: bytesTo0x(encoded), timeoutMs: 20 });
    expect(answer.error).toMatchObject({
      code: -32002,
      data: { code: "TIMEOUT", hash: bytesTo0x(transactionHash(encoded)), timeoutMs: 20 },
    });
    h.api.commitBlock();
  });

  it("tx_get reports evictions with their reason, and NOT_FOUND for unknown hashes", async () => {
    const encoded = signedTx(alice, 4);
    const { hash } = await result<{ hash: string }>("tx_submit", [bytesTo0x(encoded)]);
    h.api.evict(hash, "nonce used by another transaction");
    const evicted = TxStatusJson.parse(await result("tx_get", [hash]));
    expect(evicted).toEqual({ status: "evicted", hash, reason: "nonce used by another transaction" });
    const missing = await rpc("tx_get", [`0x${"ab".repeat(32)}`]);
    expect(missing.error).toMatchObject({ code: -32001, data: { code: "NOT_FOUND", what: "transaction" } });
  });
});

describe("blocks, chain, accounts, state", () => {
  it("block_get by height and latest, block_getByHash", async () => {
    const latest = await result<{ hash: string; header: { height: number } }>("block_get", ["latest"]);
    expect(latest.header.height).toBe(h.api.height);
    const byHash = await result<{ hash: string }>("block_getByHash", [latest.hash]);
    expect(byHash).toEqual(latest);
    const first = await result<{ header: { height: number; prevBlockHash: string }; txs: unknown[] }>("block_get", [1]);
    expect(first.header.height).toBe(1);
    expect(first.txs).toHaveLength(1);
    const missing = await rpc("block_getByHash", [`0x${"00".repeat(32)}`]);
    expect(missing.error?.data.code).toBe("NOT_FOUND");
  });

  it("chain_status, chain_validators, mempool_status, net_peers", async () => {
    const status = await result("chain_status");
    expect(status).toMatchObject({ chainId: "test-chain", height: h.api.height, syncing: false, isValidator: true });
    const validators = await result<{ validators: { name: string; address: string }[] }>("chain_validators", [1]);
    expect(validators.validators.map((v) => v.name)).toEqual(["v1"]);
    expect(validators.validators[0]?.address).toMatch(/^hansa1/);
    expect(await result("mempool_status")).toMatchObject({ size: h.api.pending.length, maxSize: 1000 });
    expect(await result("net_peers")).toEqual([
      { id: "12D3KooWPeer", addresses: ["/ip4/127.0.0.1/tcp/26656"], validator: "v2" },
    ]);
  });

  it("account_get by public key and by address", async () => {
    const byKey = await result("account_get", [bytesTo0x(alicePub)]);
    expect(byKey).toMatchObject({ address: addressFromPublicKey(alicePub), nonce: 4, organization: "acme" });
    const byAddress = await result("account_get", { account: addressFromPublicKey(alicePub) });
    expect(byAddress).toMatchObject({ address: addressFromPublicKey(alicePub), publicKey: null });
  });

  it("state_get and state_history with paging", async () => {
    for (let i = 0; i < 3; i++) {
      h.api.commitBlock([{ namespace: "shipments", key: "SH-1", value: utf8ToBytes(`v${i}`) }]);
    }
    const current = await result("state_get", ["shipments", "SH-1"]);
    expect(current).toMatchObject({ value: bytesTo0x(utf8ToBytes("v2")), proof: "0x00" });
    const page1 = await result<{ versions: { value: string }[]; nextCursor: string }>("state_history", [
      "shipments",
      "SH-1",
      { limit: 2 },
    ]);
    expect(page1.versions.map((v) => v.value)).toEqual([bytesTo0x(utf8ToBytes("v2")), bytesTo0x(utf8ToBytes("v1"))]);
    const page2 = await result<{ versions: unknown[]; nextCursor: null }>("state_history", {
      namespace: "shipments",
      key: "SH-1",
      options: { cursor: page1.nextCursor },
    });
    expect(page2.versions).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    const badLimit = await rpc("state_history", ["shipments", "SH-1", { limit: 0 }]);
    expect(badLimit.error?.code).toBe(-32602);
  });
});

describe("evidence_list", () => {
  it("pages committed evidence by position, by name or position, and checks its params", async () => {
    const piece = (includedHeight: number, index: number) => ({
      id: bytesTo0x(new Uint8Array(32).fill(includedHeight * 10 + index)),
      kind: "duplicate_vote" as const,
      validator: bytesTo0x(alicePub),
      height: includedHeight - 1,
      round: 0,
      step: "prevote" as const,
      encoded: "0x80",
      includedHeight,
      index,
    });
    h.api.evidence.push(piece(3, 0), piece(3, 1), piece(8, 0));
    const first = await result<{ evidence: unknown[]; next: unknown }>("evidence_list", { limit: 2 });
    expect(first.evidence).toEqual([piece(3, 0), piece(3, 1)]);
    expect(first.next).toEqual({ fromHeight: 8, fromIndex: 0 });
    const rest = await result<{ evidence: unknown[]; next: unknown }>("evidence_list", [8, 0, 2]);
    expect(rest).toEqual({ evidence: [piece(8, 0)], next: null });
    expect((await result<{ evidence: unknown[] }>("evidence_list")).evidence).toHaveLength(3);
    for (const bad of [{ limit: 0 }, { limit: 101 }, { fromHeight: -1 }, { fromIndex: 65 }, { from: 1 }]) {
      expect((await rpc("evidence_list", bad)).error?.code, JSON.stringify(bad)).toBe(-32602);
    }
    h.api.evidence.length = 0;
  });
});

describe("rpc.discover", () => {
  it("returns an OpenRPC document describing every method, params and errors", async () => {
    const doc = await result<{
      openrpc: string;
      methods: { name: string; params: { name: string; required: boolean; schema: object }[]; errors: object[] }[];
    }>("rpc.discover");
    expect(doc.openrpc).toMatch(/^1\.3\./);
    expect(doc.methods.map((m) => m.name).sort()).toEqual(RPC_METHODS.map((m) => m.name).sort());
    const submitAndWait = doc.methods.find((m) => m.name === "tx_submitAndWait");
    expect(submitAndWait?.params).toEqual([
      { name: "tx", required: true, schema: expect.objectContaining({ type: "string", pattern: expect.any(String) }) },
      { name: "timeoutMs", required: false, schema: expect.objectContaining({ type: "integer", maximum: 60_000 }) },
    ]);
    expect(submitAndWait?.errors).toContainEqual({ code: -32002, message: "TIMEOUT", data: { code: "TIMEOUT" } });
  });
});

describe("subscriptions over HTTP", () => {
  it("are refused with a pointer to WebSocket", async () => {
    const answer = await rpc("subscribe", ["newBlocks", {}]);
    expect(answer.error).toMatchObject({ code: -32050, data: { code: "RPC_WEBSOCKET_REQUIRED" } });
    expect(answer.error?.message).toContain("WebSocket");
  });
});
