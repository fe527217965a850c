import { encodeReceipt, inclusionProof, sha256, verifyInclusion } from "@hansa/core";
import { describe, expect, it } from "vitest";
import {
  decodeRecordEntry,
  decodeRecordWriteResult,
  getHistory,
  proveRecord,
  verifyRecordProof,
} from "../../src/ledger/index.js";
import { expectOk, keys, TestChain, text } from "./helpers.js";

async function withRecords() {
  const chain = await TestChain.create();
  expectOk(await chain.run(keys.mfgAdmin, "namespace.create", { name: "shipments", description: "" }));
  const block = await chain.block([
    chain.tx(keys.mfgWriter, "record.put", { namespace: "shipments", key: "SHP-1", value: text("packed") }),
    chain.tx(keys.mfgWriter, "record.put", { namespace: "shipments", key: "SHP-2", value: text("loaded") }),
    chain.tx(keys.mfgWriter, "record.put", { namespace: "shipments", key: "SHP-1", value: text("shipped") }),
  ]);
  return { chain, block };
}

describe("state proofs", () => {
  it("proves a record's current value against the state root", async () => {
    const { chain } = await withRecords();
    const p = await proveRecord(chain.state, "shipments", "SHP-1");
    expect(p.stateRoot).toEqual(chain.stateRoot);
    expect(p.height).toBe(chain.height);
    expect(decodeRecordEntry(p.value as Uint8Array)).toMatchObject({ versions: 2, value: text("shipped") });
    expect(verifyRecordProof(p)).toBe(true);
  });

  it("proves that a key was never written", async () => {
    const { chain } = await withRecords();
    const p = await proveRecord(chain.state, "shipments", "SHP-404");
    expect(p.value).toBeNull();
    expect(verifyRecordProof(p)).toBe(true);
    const real = await proveRecord(chain.state, "shipments", "SHP-2");
    expect(verifyRecordProof({ ...p, value: real.value })).toBe(false);
  });

  it("rejects a tampered value, another key, another root or a garbled proof", async () => {
    const { chain } = await withRecords();
    const p = await proveRecord(chain.state, "shipments", "SHP-1");
    const entry = decodeRecordEntry(p.value as Uint8Array);
    const forged = (await proveRecord(chain.state, "shipments", "SHP-2")).value as Uint8Array;
    expect(verifyRecordProof({ ...p, value: forged })).toBe(false);
    expect(verifyRecordProof({ ...p, key: "SHP-2" })).toBe(false);
    expect(verifyRecordProof({ ...p, value: null })).toBe(false);
    expect(verifyRecordProof({ ...p, stateRoot: sha256(p.stateRoot) })).toBe(false);
    expect(verifyRecordProof({ ...p, proof: p.proof.slice(1) })).toBe(false);
    expect(verifyRecordProof({ ...p, proof: new Uint8Array([0xff]) })).toBe(false);
    expect(entry.value).toEqual(text("shipped"));
  });

  it("an older root still proves the value the key had then", async () => {
    const { chain } = await withRecords();
    const before = await proveRecord(chain.state, "shipments", "SHP-2");
    expectOk(await chain.run(keys.mfgWriter, "record.delete", { namespace: "shipments", key: "SHP-2" }));
    const after = await proveRecord(chain.state, "shipments", "SHP-2");
    expect(decodeRecordEntry(after.value as Uint8Array).value).toBeNull();
    expect(verifyRecordProof(after)).toBe(true);
    expect(verifyRecordProof(before)).toBe(true);
    expect(verifyRecordProof({ ...before, stateRoot: after.stateRoot })).toBe(false);
  });
});

describe("receipt proofs", () => {
  it("each version in a key's history is proven by its receipt under the block's receipts root", async () => {
    const { chain, block } = await withRecords();
    const encoded = block.receipts.map(encodeReceipt);
    const { versions } = await getHistory(chain.state, { namespace: "shipments", key: "SHP-1", order: "oldest" });
    for (const version of versions) {
      const index = block.receipts.findIndex((r) => Buffer.from(r.txHash).equals(version.txHash));
      expect(index).toBeGreaterThanOrEqual(0);
      const proof = inclusionProof(encoded, index);
      expect(verifyInclusion(encoded[index]!, index, encoded.length, proof, block.receiptsRoot)).toBe(true);
      const result = decodeRecordWriteResult(block.receipts[index]!.result);
      expect(result).toEqual({
        namespace: "shipments",
        key: "SHP-1",
        version: version.version,
        valueHash: sha256(version.value as Uint8Array),
      });
    }
  });
});
