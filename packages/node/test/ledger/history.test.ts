import { bytesToUtf8 } from "@hansa/core";
import { describe, expect, it } from "vitest";
import { getHistory, LedgerErrorCode, MAX_HISTORY_PAGE, type RecordVersion } from "../../src/ledger/index.js";
import { expectOk, keys, TestChain, text } from "./helpers.js";

interface Written {
  height: number;
  txHash: Uint8Array;
  writer: Uint8Array;
  value: Uint8Array | null;
}

const WRITERS = [keys.mfgWriter, keys.carrierWriter, keys.customsWriter, keys.buyerWriter];

/** A shipment key written `count` times, round-robin by the four organizations' writers, with a delete at 10. */
async function journey(count: number) {
  const chain = await TestChain.create();
  expectOk(await chain.run(keys.mfgAdmin, "namespace.create", { name: "shipments", description: "" }));
  for (const org of ["carrier", "customs", "buyer"]) {
    expectOk(await chain.run(keys.mfgAdmin, "namespace.grant", { namespace: "shipments", org, member: null }));
  }
  const written: Written[] = [];
  // Several versions per block, to check ordering inside a block as well as across blocks.
  for (let i = 0; i < count; i += 3) {
    const txs = [];
    for (let j = i; j < Math.min(i + 3, count); j++) {
      const writer = WRITERS[j % WRITERS.length]!;
      const value = j === 10 ? null : text(`step ${j}`);
      txs.push(
        value === null
          ? chain.tx(writer, "record.delete", { namespace: "shipments", key: "SHP-7" })
          : chain.tx(writer, "record.put", { namespace: "shipments", key: "SHP-7", value }),
      );
      written.push({ height: chain.height + 1, txHash: txs[txs.length - 1]!.hash, writer: writer.publicKey, value });
    }
    const { receipts } = await chain.block(txs);
    for (const r of receipts) expectOk(r);
  }
  return { chain, written };
}

function expectVersion(v: RecordVersion | undefined, index: number, expected: Written) {
  expect(v?.version).toBe(index);
  expect(v?.height).toBe(expected.height);
  expect(v?.txHash).toEqual(expected.txHash);
  expect(v?.writer).toEqual(expected.writer);
  expect(v?.value).toEqual(expected.value);
}

describe("key history", () => {
  it("keeps every version of a key across many writes by several organizations", async () => {
    const { chain, written } = await journey(250);
    const all: RecordVersion[] = [];
    let cursor: number | undefined;
    do {
      const page = await getHistory(chain.state, {
        namespace: "shipments",
        key: "SHP-7",
        order: "oldest",
        limit: MAX_HISTORY_PAGE,
        ...(cursor === undefined ? {} : { cursor }),
      });
      cursor = page.nextCursor ?? undefined;
      expect(page.total).toBe(250);
      all.push(...page.versions);
    } while (cursor !== undefined);
    expect(all).toHaveLength(250);
    for (const [i, v] of all.entries()) expectVersion(v, i, written[i]!);
    expect(all[10]?.value).toBeNull();
    expect(bytesToUtf8(all[249]?.value as Uint8Array)).toBe("step 249");
    // Versions carry the block time too, which only moves forward.
    for (let i = 1; i < all.length; i++) expect(all[i]!.time).toBeGreaterThanOrEqual(all[i - 1]!.time);
  });

  it("pages newest first by default, with cursors", async () => {
    const { chain, written } = await journey(25);
    const q = { namespace: "shipments", key: "SHP-7" };
    const first = await getHistory(chain.state, { ...q, limit: 10 });
    expect(first.versions.map((v) => v.version)).toEqual([24, 23, 22, 21, 20, 19, 18, 17, 16, 15]);
    expect(first.nextCursor).toBe(14);
    const second = await getHistory(chain.state, { ...q, limit: 10, cursor: 14 });
    expect(second.versions.map((v) => v.version)).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 5]);
    const last = await getHistory(chain.state, { ...q, limit: 10, cursor: 4 });
    expect(last.versions.map((v) => v.version)).toEqual([4, 3, 2, 1, 0]);
    expect(last.nextCursor).toBeNull();
    expect((await getHistory(chain.state, q)).versions).toHaveLength(20);
    const exact = await getHistory(chain.state, { ...q, order: "oldest", cursor: 20, limit: 5 });
    expect(exact.versions.map((v) => v.version)).toEqual([20, 21, 22, 23, 24]);
    expect(exact.nextCursor).toBeNull();
    expectVersion(exact.versions[0], 20, written[20]!);
  });

  it("an unwritten key has an empty history; bad cursors and limits are refused", async () => {
    const { chain } = await journey(3);
    expect(await getHistory(chain.state, { namespace: "shipments", key: "none" })).toEqual({
      total: 0,
      versions: [],
      nextCursor: null,
    });
    const q = { namespace: "shipments", key: "SHP-7" };
    for (const bad of [{ cursor: 3 }, { cursor: -1 }, { limit: 0 }, { limit: MAX_HISTORY_PAGE + 1 }, { cursor: 1.5 }]) {
      await expect(getHistory(chain.state, { ...q, ...bad })).rejects.toMatchObject({
        code: LedgerErrorCode.BAD_QUERY,
      });
    }
  });
});
