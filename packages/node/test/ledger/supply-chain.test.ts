import {
  bytesToUtf8,
  DEFAULT_CONSENSUS_PARAMS,
  encodeReceipt,
  inclusionProof,
  utf8ToBytes,
  verifyInclusion,
} from "@hansa/core";
import { describe, expect, it } from "vitest";
import {
  type BlockTx,
  buildPayload,
  decodeRecordEntry,
  executeBlock,
  genesisState,
  getHistory,
  LedgerErrorCode,
  MemoryState,
  type PayloadOf,
  proveRecord,
  type TxKind,
  verifyRecordProof,
} from "../../src/ledger/index.js";
import { blockTx, CHAIN_ID, GENESIS_TIME, keys, signed, testKey } from "./helpers.js";

// The worked example of docs/ledger.md, step by step: keep the two in step.

const ada = testKey("ada@maker"); // manufacturer admin
const max = testKey("max@maker"); // manufacturer writer
const cleo = testKey("cleo@carrier"); // carrier writer
const cyrus = testKey("cyrus@customs"); // customs officer (writer)
const bea = testKey("bea@buyer"); // buyer admin
const bo = testKey("bo@buyer"); // buyer's receiving clerk: no roles, granted individually
const ben = testKey("ben@buyer"); // buyer writer, not granted

const json = (o: object) => utf8ToBytes(JSON.stringify(o));

describe("worked example: a shipment from manufacturer to buyer", () => {
  it("runs as docs/ledger.md describes", async () => {
    const genesis = {
      chainId: CHAIN_ID,
      genesisTime: GENESIS_TIME,
      validators: [keys.v0, keys.v1, keys.v2, keys.v3].map((v) => ({
        name: v.name,
        publicKey: v.publicKey,
        power: 10,
      })),
      organizations: [
        {
          id: "maker",
          name: "Maker Ltd",
          members: [
            { publicKey: ada.publicKey, roles: ["admin" as const] },
            { publicKey: max.publicKey, roles: ["writer" as const] },
          ],
        },
        { id: "carrier", name: "Blue Sea Lines", members: [{ publicKey: cleo.publicKey, roles: ["writer" as const] }] },
        { id: "customs", name: "Port Customs", members: [{ publicKey: cyrus.publicKey, roles: ["writer" as const] }] },
        {
          id: "buyer",
          name: "Buyer GmbH",
          members: [
            { publicKey: bea.publicKey, roles: ["admin" as const] },
            { publicKey: bo.publicKey, roles: [] },
            { publicKey: ben.publicKey, roles: ["writer" as const] },
          ],
        },
      ],
      consensusParams: DEFAULT_CONSENSUS_PARAMS,
    };
    const state = new MemoryState();
    const g = await genesisState(genesis);
    state.apply(g.writes);
    let height = 0;
    let root = g.stateRoot;
    const nonces = new Map<string, number>();
    const tx = <K extends TxKind>(who: typeof ada, kind: K, body: PayloadOf<K>): BlockTx => {
      const n = nonces.get(who.name) ?? 0;
      nonces.set(who.name, n + 1);
      return blockTx(signed(who, n, kind, buildPayload(kind, body).payload));
    };
    const commit = async (txs: BlockTx[]) => {
      height += 1;
      const result = await executeBlock(
        { chainId: CHAIN_ID, height, time: GENESIS_TIME + height * 60_000, prevStateRoot: root, txs },
        state,
      );
      state.apply(result.writes);
      root = result.stateRoot;
      return result;
    };

    // 1. Maker's admin opens `shipments` to the carrier and customs, and to the buyer's clerk alone.
    const setup = await commit([
      tx(ada, "namespace.create", { name: "shipments", description: "Shipment status by shipment id" }),
      tx(ada, "namespace.grant", { namespace: "shipments", org: "carrier", member: null }),
      tx(ada, "namespace.grant", { namespace: "shipments", org: "customs", member: null }),
      tx(ada, "namespace.grant", { namespace: "shipments", org: null, member: bo.publicKey }),
    ]);
    expect(setup.receipts.every((r) => r.ok)).toBe(true);

    // 2-5. The shipment's journey, one block per hand-over.
    const key = { namespace: "shipments", key: "SHP-1042" };
    await commit([tx(max, "record.put", { ...key, value: json({ status: "packed", pallets: 12 }) })]);
    await commit([tx(cleo, "record.put", { ...key, value: json({ status: "in-transit", vessel: "MV Aurora" }) })]);
    await commit([tx(cyrus, "record.put", { ...key, value: json({ status: "cleared", declaration: "D-77" }) })]);
    const last = await commit([
      tx(ben, "record.put", { ...key, value: json({ status: "received" }) }),
      tx(bo, "record.put", { ...key, value: json({ status: "received", signedBy: "bo" }) }),
    ]);
    // 6. Ben writes for the buyer but the buyer organization has no grant: his transaction fails, Bo's succeeds.
    expect(last.receipts.map((r) => r.code)).toEqual([LedgerErrorCode.PERMISSION_DENIED, ""]);

    // 7. The journey, newest first.
    const history = await getHistory(state, { ...key });
    expect(history.total).toBe(4);
    expect(history.versions.map((v) => JSON.parse(bytesToUtf8(v.value as Uint8Array)).status)).toEqual([
      "received",
      "cleared",
      "in-transit",
      "packed",
    ]);
    expect(history.versions.map((v) => v.height)).toEqual([5, 4, 3, 2]);
    expect(history.versions.map((v) => v.writer)).toEqual([
      bo.publicKey,
      cyrus.publicKey,
      cleo.publicKey,
      max.publicKey,
    ]);

    // 8. Anyone with block 5's header can check the current value and Bo's receipt.
    const proof = await proveRecord(state, "shipments", "SHP-1042");
    expect(proof.stateRoot).toEqual(root);
    expect(verifyRecordProof(proof)).toBe(true);
    expect(decodeRecordEntry(proof.value as Uint8Array).writer).toEqual(bo.publicKey);
    const leaves = last.receipts.map(encodeReceipt);
    expect(verifyInclusion(leaves[1]!, 1, leaves.length, inclusionProof(leaves, 1), last.receiptsRoot)).toBe(true);
  });
});
