import {
  bytesToUtf8,
  decodeBlock,
  decodeCommit,
  decodeReceipt,
  equalBytes,
  getPublicKey,
  isHansaError,
  sha256,
  utf8ToBytes,
  ValidatorSet,
} from "@hansa/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDb } from "../../src/storage/db.js";
import { type ChainHead, openStore, type Store } from "../../src/storage/index.js";
import { type BuiltBlock, buildBlock, CHAIN_ID, genesis, genesisHash, validatorSet } from "./chain-fixture.js";
import { tempDir } from "./temp-dir.js";

let dir: Awaited<ReturnType<typeof tempDir>>;
let store: Store;

beforeEach(async () => {
  dir = await tempDir("store");
  store = await openStore({ directory: dir.path });
});

afterEach(async () => {
  await store.close();
  await dir.remove();
});

async function commitChain(count: number, from?: { head: ChainHead; cert: BuiltBlock["cert"] | null }) {
  let head = from?.head ?? { height: 0, hash: genesisHash };
  let cert = from?.cert ?? null;
  const built: BuiltBlock[] = [];
  for (let i = 0; i < count; i++) {
    const b = buildBlock(head, cert);
    await store.commitBlock(b.commit);
    built.push(b);
    head = { height: b.commit.height, hash: b.commit.hash };
    cert = b.cert;
  }
  return built;
}

async function expectCode(promise: Promise<unknown>, code: string) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isHansaError(err) ? err.code : err).toBe(code);
}

describe("Store", () => {
  it("refuses a data directory of another store format by name", async () => {
    await store.initChain(genesis);
    await store.close();
    // A directory from before the format marker: the chain is there, the marker is not.
    const formatKey = Uint8Array.of(0x6d, ...utf8ToBytes("format"));
    const db = await openDb(dir.path);
    await db.del(formatKey);
    await db.close();
    const err = await openStore({ directory: dir.path }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isHansaError(err) && err.type).toEqual({ code: "STORAGE_FORMAT", found: 1, expected: 2 });
    // With the marker of this format it opens again, chain intact.
    const fixed = await openDb(dir.path);
    await fixed.put(formatKey, Uint8Array.of(2));
    await fixed.close();
    store = await openStore({ directory: dir.path });
    expect(store.chain).toEqual({ chainId: CHAIN_ID, genesisHash });
  });

  it("starts empty, writes genesis once, and accepts the same genesis again", async () => {
    expect(store.head).toBeUndefined();
    await store.initChain(genesis);
    expect(store.head).toEqual({ height: 0, hash: genesisHash });
    expect(store.chain).toEqual({ chainId: CHAIN_ID, genesisHash });
    await store.initChain(genesis);
    await expectCode(store.initChain({ ...genesis, chainId: "other" }), "STORAGE_GENESIS_MISMATCH");
    await expectCode(store.initChain({ ...genesis, genesisHash: sha256(genesisHash) }), "STORAGE_GENESIS_MISMATCH");
    expect(bytesToUtf8((await store.get(utf8ToBytes("height"))) as Uint8Array)).toBe("0");
  });

  it("commits blocks and reads every index back, also after reopening", async () => {
    await store.initChain(genesis);
    const built = await commitChain(5);
    const check = async (s: Store) => {
      expect(s.head?.height).toBe(5);
      for (const b of built) {
        const { height, hash } = b.commit;
        expect(decodeBlock((await s.getBlock(height)) as Uint8Array).header.height).toBe(height);
        expect(await s.getBlockByHash(hash)).toEqual(b.commit.blockBytes);
        expect(await s.getHeightByHash(hash)).toBe(height);
        expect(decodeCommit((await s.getCommit(height)) as Uint8Array).blockHash).toEqual(hash);
        for (const [index, txHash] of b.txHashes.entries()) {
          expect(await s.getTxLocation(txHash)).toEqual({ height, index });
          expect(decodeReceipt((await s.getReceipt(txHash)) as Uint8Array).txHash).toEqual(txHash);
        }
        expect((await s.getBlockReceipts(height)).map((r) => decodeReceipt(r).txHash)).toEqual(b.txHashes);
      }
      expect(await s.getBlock(6)).toBeUndefined();
      expect(await s.getTxLocation(sha256(utf8ToBytes("nope")))).toBeUndefined();
      const locations = await s.getTxLocations([built[1]?.txHashes[2] as Uint8Array, new Uint8Array(32)]);
      expect(locations).toEqual([{ height: 2, index: 2 }, undefined]);
      expect(bytesToUtf8((await s.get(utf8ToBytes("height"))) as Uint8Array)).toBe("5");
    };
    await check(store);
    await store.close();
    store = await openStore({ directory: dir.path });
    expect(store.chain?.chainId).toBe(CHAIN_ID);
    await check(store);
  });

  it("refuses a block at the wrong height and a malformed block, writing nothing of either", async () => {
    const first = buildBlock({ height: 0, hash: genesisHash }, null);
    await expectCode(store.commitBlock(first.commit), "STORAGE_NOT_INITIALIZED");
    await store.initChain(genesis);
    const second = buildBlock({ height: first.commit.height, hash: first.commit.hash }, first.cert);
    await expectCode(store.commitBlock(second.commit), "STORAGE_HEIGHT_MISMATCH");
    await expectCode(store.commitBlock({ ...first.commit, receipts: [] }), "STORAGE_BAD_INPUT");
    await expectCode(store.commitBlock({ ...first.commit, hash: new Uint8Array(31) }), "STORAGE_BAD_INPUT");
    expect(store.head?.height).toBe(0);
    expect(await store.getTxLocation(first.txHashes[0] as Uint8Array)).toBeUndefined();
    await store.commitBlock(first.commit);
    expect(store.head?.height).toBe(1);
  });

  it("commits consecutive blocks in one batch, or none of them when one is out of place", async () => {
    await store.initChain(genesis);
    const built: BuiltBlock[] = [];
    let head: ChainHead = { height: 0, hash: genesisHash };
    let cert: BuiltBlock["cert"] | null = null;
    for (let i = 0; i < 5; i++) {
      const b = buildBlock(head, cert);
      built.push(b);
      head = { height: b.commit.height, hash: b.commit.hash };
      cert = b.cert;
    }
    const commits = built.map((b) => b.commit);
    // Block 4 missing: the batch is refused before anything is written, even blocks 1..3 that fit.
    await expectCode(
      store.commitBlocks([...commits.slice(0, 3), commits[4] as BuiltBlock["commit"]]),
      "STORAGE_HEIGHT_MISMATCH",
    );
    expect(store.head?.height).toBe(0);
    expect(await store.getBlock(1)).toBeUndefined();
    expect(await store.getTxLocation(built[0]?.txHashes[0] as Uint8Array)).toBeUndefined();

    await store.commitBlocks(commits.slice(0, 3));
    expect(store.head).toEqual({ height: 3, hash: built[2]?.commit.hash });
    await store.commitBlocks(commits.slice(3));
    await store.close();
    store = await openStore({ directory: dir.path });
    expect(store.head).toEqual({ height: 5, hash: built[4]?.commit.hash });
    for (const [i, b] of built.entries()) {
      const height = i + 1;
      expect(await store.getBlock(height)).toEqual(b.commit.blockBytes);
      expect(await store.getCommit(height)).toEqual(b.commit.commitBytes);
      expect(await store.getTxLocation(b.txHashes[1] as Uint8Array)).toEqual({ height, index: 1 });
      expect(await store.getBlockReceipts(height)).toEqual(b.commit.receipts);
    }
  });

  it("serialises concurrent commits in call order", async () => {
    await store.initChain(genesis);
    const a = buildBlock({ height: 0, hash: genesisHash }, null);
    const b = buildBlock({ height: 1, hash: a.commit.hash }, a.cert);
    await Promise.all([store.commitBlock(a.commit), store.commitBlock(b.commit)]);
    expect(store.head?.height).toBe(2);
  });

  it("serves sync ranges bounded by height, count and bytes", async () => {
    await store.initChain(genesis);
    const built = await commitChain(6);
    const all = await store.syncRange({ fromHeight: 1 });
    expect(all.map((e) => e.height)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all[5]?.commitBytes).toEqual(built[5]?.commit.commitBytes);
    expect((await store.syncRange({ fromHeight: 2, toHeight: 4 })).map((e) => e.height)).toEqual([2, 3, 4]);
    expect((await store.syncRange({ fromHeight: 3, maxBlocks: 2 })).map((e) => e.height)).toEqual([3, 4]);
    const [one, two] = built.map((b) => b.commit.blockBytes.length) as [number, number];
    const bySize = await store.syncRange({ fromHeight: 1, maxBytes: one + two });
    expect(bySize.map((e) => e.height)).toEqual([1, 2]);
    expect((await store.syncRange({ fromHeight: 1, maxBytes: 1 })).length).toBe(1);
    expect(await store.syncRange({ fromHeight: 7 })).toEqual([]);
  });

  it("applies state deletes and scans by prefix", async () => {
    await store.initChain(genesis);
    const [b1] = await commitChain(1);
    const b2 = buildBlock({ height: 1, hash: b1?.commit.hash as Uint8Array }, b1?.cert ?? null);
    await store.commitBlock({
      ...b2.commit,
      stateWrites: [
        { key: utf8ToBytes("block/1"), value: null },
        { key: utf8ToBytes("block/2"), value: b2.commit.hash },
        { key: utf8ToBytes("blocl"), value: utf8ToBytes("after the prefix") },
      ],
    });
    expect(await store.get(utf8ToBytes("block/1"))).toBeUndefined();
    const scanned = await store.scanState(utf8ToBytes("block/"));
    expect(scanned.map((e) => bytesToUtf8(e.key))).toEqual(["block/2"]);
    expect(await store.getMany([utf8ToBytes("block/2"), utf8ToBytes("x")])).toEqual([b2.commit.hash, undefined]);
  });

  it("keeps validator sets by the first height they vote on", async () => {
    await store.initChain(genesis);
    const [b1] = await commitChain(1);
    const next = new ValidatorSet([{ name: "solo", publicKey: getPublicKey(sha256(utf8ToBytes("solo"))), power: 5 }]);
    const b2 = buildBlock({ height: 1, hash: b1?.commit.hash as Uint8Array }, b1?.cert ?? null);
    await expectCode(
      store.commitBlock({ ...b2.commit, validatorSet: { fromHeight: 2, set: next } }),
      "STORAGE_BAD_INPUT",
    );
    await store.commitBlock({ ...b2.commit, validatorSet: { fromHeight: 4, set: next } });
    const check = async (s: Store) => {
      for (const h of [1, 2, 3]) expect(equalBytes((await s.validatorSetAt(h)).hash, validatorSet.hash)).toBe(true);
      for (const h of [4, 100]) expect(equalBytes((await s.validatorSetAt(h)).hash, next.hash)).toBe(true);
      await expectCode(s.validatorSetAt(0), "STORAGE_NOT_INITIALIZED");
    };
    await check(store);
    await store.close();
    store = await openStore({ directory: dir.path });
    await check(store);
  });

  it("fails writes after close with STORAGE_CLOSED", async () => {
    await store.close();
    await expectCode(store.initChain(genesis), "STORAGE_CLOSED");
  });
});
