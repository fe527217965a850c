import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import {
  blockHash,
  bytesToUtf8,
  decodeBlock,
  decodeCommit,
  decodeReceipt,
  equalBytes,
  transactionHash,
  utf8ToBytes,
} from "@hansa/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/storage/index.js";
import { blockTxs, genesisHash, TXS_PER_BLOCK } from "./chain-fixture.js";
import { tempDir } from "./temp-dir.js";

const hooks = fileURLToPath(new URL("./crash/ts-hooks.mjs", import.meta.url));
const writer = fileURLToPath(new URL("./crash/writer.ts", import.meta.url));

/**
 * Runs the writer until it has reported `untilHeight`, then kills it with SIGKILL while it keeps writing (with
 * `batchSize` > 1, as soon as it starts writing its next batch). Returns the last height it reported as
 * committed.
 */
async function writeThenKill(directory: string, untilHeight: number, batchSize = 1): Promise<number> {
  const child = spawn(
    process.execPath,
    ["--disable-warning=ExperimentalWarning", "--import", hooks, writer, directory, String(batchSize)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let reported = 0;
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      // "w <height>": a batch is being written right now. Killing here tears it if anything can.
      const writing = line.startsWith("w ");
      if (!writing) reported = Number(line);
      if (reported >= untilHeight && (writing || batchSize === 1)) {
        // Somewhere inside the write (which takes a few ms), not before it starts.
        if (writing) await new Promise((r) => setTimeout(r, 1 + Math.random() * 15));
        child.kill("SIGKILL");
        break;
      }
    }
  } finally {
    child.kill("SIGKILL");
    await exited;
  }
  return reported;
}

/**
 * Every block up to the head is complete with its commit, txs, receipts and state; nothing beyond it, up to
 * the end of the batch (of `batchSize` blocks) the writer was committing when it died.
 */
async function expectConsistent(store: Store, batchSize = 1): Promise<number> {
  const head = store.head;
  if (!head) throw new Error("store lost its genesis");
  let prevHash = genesisHash;
  for (let height = 1; height <= head.height; height++) {
    const block = decodeBlock((await store.getBlock(height)) as Uint8Array);
    const hash = blockHash(block.header);
    expect(block.header.height).toBe(height);
    expect(equalBytes(block.header.prevBlockHash, prevHash)).toBe(true);
    expect(await store.getHeightByHash(hash)).toBe(height);
    const cert = decodeCommit((await store.getCommit(height)) as Uint8Array);
    expect(cert.height === height && equalBytes(cert.blockHash, hash)).toBe(true);
    const txHashes = block.txs.map(transactionHash);
    expect(txHashes.length).toBe(TXS_PER_BLOCK);
    expect(await store.getTxLocations(txHashes)).toEqual(txHashes.map((_, index) => ({ height, index })));
    const receipts = (await store.getBlockReceipts(height)).map(decodeReceipt);
    expect(receipts.map((r) => r.txHash)).toEqual(txHashes);
    expect(await store.get(utf8ToBytes(`block/${height}`))).toEqual(hash);
    prevHash = hash;
  }
  expect(equalBytes(prevHash, head.hash)).toBe(true);
  expect(bytesToUtf8((await store.get(utf8ToBytes("height"))) as Uint8Array)).toBe(String(head.height));

  // The blocks the writer was committing when it died are deterministic: none of them may be on disk.
  for (let next = head.height + 1; next <= head.height + batchSize; next++) {
    expect(await store.getBlock(next)).toBeUndefined();
    expect(await store.getCommit(next)).toBeUndefined();
    expect(await store.getBlockReceipts(next)).toEqual([]);
    expect(await store.get(utf8ToBytes(`block/${next}`))).toBeUndefined();
    const locations = await store.getTxLocations(blockTxs(next, TXS_PER_BLOCK).map(transactionHash));
    expect(locations.every((l) => !l)).toBe(true);
  }
  expect((await store.readWal(0)).corrupt).toBeUndefined();
  return head.height;
}

describe("crash recovery (kill -9 of a writing process)", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir("crash");
  });
  afterAll(async () => {
    await dir.remove();
  });

  it("reopens with every acknowledged block complete and nothing of the torn one, three times over", async () => {
    let target = 15;
    for (let round = 0; round < 3; round++) {
      const reported = await writeThenKill(dir.path, target);
      expect(reported).toBeGreaterThanOrEqual(target); // the writer ran until killed, it did not die on its own
      const store = await openStore({ directory: dir.path });
      try {
        const head = await expectConsistent(store);
        // A commit the writer saw resolve was synced, so it survives the kill.
        expect(head).toBeGreaterThanOrEqual(reported);
        target = head + 10;
      } finally {
        await store.close();
      }
    }
  });

  it("keeps a batch of blocks written by commitBlocks whole or not at all, three times over", async () => {
    const batchSize = 40;
    const batchDir = await tempDir("crash-batch");
    try {
      let target = batchSize;
      for (let round = 0; round < 3; round++) {
        const reported = await writeThenKill(batchDir.path, target, batchSize);
        expect(reported).toBeGreaterThanOrEqual(target);
        const store = await openStore({ directory: batchDir.path });
        try {
          const head = await expectConsistent(store, batchSize);
          expect(head).toBeGreaterThanOrEqual(reported);
          // The head only ever moves a whole batch at a time: no prefix of a batch survives alone.
          expect(head % batchSize).toBe(0);
          target = head + batchSize;
        } finally {
          await store.close();
        }
      }
    } finally {
      await batchDir.remove();
    }
  });
});
