import { utf8ToBytes } from "@hansa/core";
import fc from "fast-check";
import { Level } from "level";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { frameWalRecord, openStore, type Store, unframeWalRecord } from "../../src/storage/index.js";
import { tempDir } from "./temp-dir.js";

let dir: Awaited<ReturnType<typeof tempDir>>;
let store: Store;

beforeEach(async () => {
  dir = await tempDir("wal");
  store = await openStore({ directory: dir.path });
});

afterEach(async () => {
  await store.close();
  await dir.remove();
});

const text = (r: { data: Uint8Array }) => Buffer.from(r.data).toString();

describe("write-ahead log", () => {
  it("replays records from a height in append order and continues sequence numbers after reopening", async () => {
    await store.appendWal(1, utf8ToBytes("h1 proposal"));
    await store.appendWal(1, utf8ToBytes("h1 vote"));
    await store.appendWal(2, utf8ToBytes("h2 proposal"), { sync: false });
    await store.appendWal(3, new Uint8Array());
    expect((await store.readWal(2)).records.map(text)).toEqual(["h2 proposal", ""]);
    await store.close();
    store = await openStore({ directory: dir.path });
    const seq = await store.appendWal(3, utf8ToBytes("h3 vote"));
    expect(seq).toBe(4);
    const replay = await store.readWal(0);
    expect(replay.corrupt).toBeUndefined();
    expect(replay.records.map((r) => [r.height, r.seq])).toEqual([
      [1, 0],
      [1, 1],
      [2, 2],
      [3, 3],
      [3, 4],
    ]);
  });

  it("prunes records below a height", async () => {
    for (const h of [1, 2, 3, 4]) await store.appendWal(h, utf8ToBytes(`at ${h}`), { sync: false });
    await store.pruneWal(3);
    expect((await store.readWal(0)).records.map(text)).toEqual(["at 3", "at 4"]);
  });

  it("stops replay at a corrupt record and trusts nothing after it", async () => {
    for (const h of [1, 2, 3]) await store.appendWal(h, utf8ToBytes(`record ${h}`));
    await store.close();
    // Flip one bit of the second record's data on disk, behind the store's back.
    const raw = new Level<Uint8Array, Uint8Array>(dir.path, { keyEncoding: "view", valueEncoding: "view" });
    const entries = await raw.iterator({ gte: Uint8Array.of(0x77), lt: Uint8Array.of(0x78) }).all();
    const [key, value] = entries[1] as [Uint8Array, Uint8Array];
    const flipped = Uint8Array.from(value);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 1;
    await raw.put(key, flipped);
    await raw.close();

    store = await openStore({ directory: dir.path });
    const replay = await store.readWal(0);
    expect(replay.records.map(text)).toEqual(["record 1"]);
    expect(replay.corrupt).toEqual({ height: 2, seq: 1, reason: "checksum" });
  });

  it("frames round-trip and detect truncation, a wrong key and any single bit flip", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2 ** 40 }),
        fc.nat({ max: 1000 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(),
        (height, seq, data, bit) => {
          const frame = frameWalRecord(height, seq, data);
          const back = unframeWalRecord(height, seq, frame);
          expect(back.ok && Buffer.from(back.data).equals(data)).toBe(true);
          expect(unframeWalRecord(height + 1, seq, frame).ok).toBe(false);
          expect(unframeWalRecord(height, seq + 1, frame).ok).toBe(false);
          expect(unframeWalRecord(height, seq, frame.subarray(0, frame.length - 1)).ok).toBe(false);
          const flipped = Uint8Array.from(frame);
          const at = bit % (frame.length * 8);
          flipped[at >> 3] = (flipped[at >> 3] as number) ^ (1 << (at & 7));
          expect(unframeWalRecord(height, seq, flipped).ok).toBe(false);
        },
      ),
    );
  });
});
