import { bytesToUtf8, encode, sha256 } from "@hansa/core";
import { describe, expect, it } from "vitest";
import {
  buildPayload,
  decodeRecordWriteResult,
  getHistory,
  getRecord,
  LedgerErrorCode,
  MAX_RECORD_VALUE_BYTES,
  PayloadCodecs,
} from "../../src/ledger/index.js";
import { blockTx, expectOk, keys, signed, TestChain, text } from "./helpers.js";

async function withShipments(): Promise<TestChain> {
  const chain = await TestChain.create();
  expectOk(await chain.run(keys.mfgAdmin, "namespace.create", { name: "shipments", description: "" }));
  return chain;
}

describe("records", () => {
  it("put stores the current value and returns the version and value hash in the receipt", async () => {
    const chain = await withShipments();
    const r = expectOk(
      await chain.run(keys.mfgWriter, "record.put", { namespace: "shipments", key: "SHP-1", value: text("packed") }),
    );
    expect(decodeRecordWriteResult(r.result)).toEqual({
      namespace: "shipments",
      key: "SHP-1",
      version: 0,
      valueHash: sha256(text("packed")),
    });
    const entry = await getRecord(chain.state, "shipments", "SHP-1");
    expect(entry).toMatchObject({ versions: 1, height: 2, time: chain.time, writer: keys.mfgWriter.publicKey });
    expect(bytesToUtf8(entry?.value as Uint8Array)).toBe("packed");
    expect(entry?.txHash).toEqual(r.txHash);
  });

  it("delete leaves a tombstone that counts the versions; a deleted key can be written again", async () => {
    const chain = await withShipments();
    const key = { namespace: "shipments", key: "SHP-1" };
    expectOk(await chain.run(keys.mfgWriter, "record.put", { ...key, value: text("a") }));
    const del = expectOk(await chain.run(keys.mfgWriter, "record.delete", key));
    expect(decodeRecordWriteResult(del.result)).toMatchObject({ version: 1, valueHash: null });
    expect(await getRecord(chain.state, "shipments", "SHP-1")).toMatchObject({ versions: 2, value: null });
    expect((await chain.run(keys.mfgWriter, "record.delete", key)).code).toBe(LedgerErrorCode.RECORD_NOT_FOUND);
    expect((await chain.run(keys.mfgWriter, "record.delete", { ...key, key: "never" })).code).toBe(
      LedgerErrorCode.RECORD_NOT_FOUND,
    );
    expectOk(await chain.run(keys.mfgWriter, "record.put", { ...key, value: text("b") }));
    expect(await getRecord(chain.state, "shipments", "SHP-1")).toMatchObject({ versions: 3, value: text("b") });
  });

  it("delete needs write access", async () => {
    const chain = await withShipments();
    const key = { namespace: "shipments", key: "SHP-1" };
    expectOk(await chain.run(keys.mfgWriter, "record.put", { ...key, value: text("a") }));
    expect((await chain.run(keys.carrierWriter, "record.delete", key)).code).toBe(LedgerErrorCode.PERMISSION_DENIED);
    expect((await chain.run(keys.v2, "record.delete", key)).code).toBe(LedgerErrorCode.NOT_MEMBER);
  });

  it(`accepts a value of exactly ${MAX_RECORD_VALUE_BYTES} bytes and fails one byte more with its own code`, async () => {
    const chain = await withShipments();
    const max = new Uint8Array(MAX_RECORD_VALUE_BYTES).fill(7);
    expectOk(await chain.run(keys.mfgWriter, "record.put", { namespace: "shipments", key: "big", value: max }));
    expect(() =>
      buildPayload("record.put", {
        namespace: "shipments",
        key: "big",
        value: new Uint8Array(MAX_RECORD_VALUE_BYTES + 1),
      }),
    ).toThrow(expect.objectContaining({ code: LedgerErrorCode.VALUE_TOO_LARGE }));
    // A client that builds the payload by hand still gets a receipt, and the nonce is consumed.
    const payload = encode(PayloadCodecs["record.put"], {
      namespace: "shipments",
      key: "big",
      value: new Uint8Array(MAX_RECORD_VALUE_BYTES + 1),
    });
    const n = chain.nextNonce(keys.mfgWriter);
    const { receipts } = await chain.block([blockTx(signed(keys.mfgWriter, n, "record.put", payload))]);
    expect(receipts[0]?.code).toBe(LedgerErrorCode.VALUE_TOO_LARGE);
    expect((await getHistory(chain.state, { namespace: "shipments", key: "big" })).total).toBe(1);
  });

  it("keys are any UTF-8 text up to the limit, kept apart per namespace", async () => {
    const chain = await withShipments();
    expectOk(await chain.run(keys.mfgAdmin, "namespace.create", { name: "sensor-readings", description: "" }));
    expectOk(
      await chain.run(keys.mfgWriter, "record.put", { namespace: "shipments", key: "Container/ü/1", value: text("s") }),
    );
    expectOk(
      await chain.run(keys.mfgWriter, "record.put", {
        namespace: "sensor-readings",
        key: "Container/ü/1",
        value: text("t"),
      }),
    );
    expect((await getRecord(chain.state, "shipments", "Container/ü/1"))?.value).toEqual(text("s"));
    expect((await getRecord(chain.state, "sensor-readings", "Container/ü/1"))?.value).toEqual(text("t"));
    expect(await getRecord(chain.state, "shipments", "Container/ü/2")).toBeUndefined();
  });

  it("writes in one block see each other in order", async () => {
    const chain = await withShipments();
    const key = { namespace: "shipments", key: "SHP-1" };
    const { receipts } = await chain.block([
      chain.tx(keys.mfgWriter, "record.put", { ...key, value: text("1") }),
      chain.tx(keys.mfgWriter, "record.delete", key),
      chain.tx(keys.mfgWriter, "record.delete", key),
      chain.tx(keys.mfgWriter, "record.put", { ...key, value: text("2") }),
    ]);
    expect(receipts.map((r) => r.code)).toEqual(["", "", LedgerErrorCode.RECORD_NOT_FOUND, ""]);
    expect((await getRecord(chain.state, "shipments", "SHP-1"))?.versions).toBe(3);
  });
});
