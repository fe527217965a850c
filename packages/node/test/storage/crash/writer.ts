// Child process of crash.test.ts: commits test blocks to the store in `argv[2]` as fast as it can, resuming
// from the store's head, and prints each height once its commit has resolved. With `argv[3]` = B > 1 it
// commits B blocks at a time through `commitBlocks` (as block sync does) and prints the last height of each
// batch, after announcing each batch with "w <last height>" just before writing it, so the test can kill it
// while the batch is being written. The test kills it with SIGKILL at an arbitrary moment.
import { decodeCommit } from "@hansa/core";
import type { BlockCommit } from "../../../src/storage/index.js";
import { openStore } from "../../../src/storage/index.js";
import { buildBlock, genesis, TXS_PER_BLOCK } from "../chain-fixture.js";

const store = await openStore({ directory: process.argv[2] as string });
const batchSize = Number(process.argv[3] ?? 1);
await store.initChain(genesis);
let head = store.head ?? { height: 0, hash: genesis.genesisHash };
let cert = head.height > 0 ? decodeCommit((await store.getCommit(head.height)) as Uint8Array) : null;
for (;;) {
  const batch: BlockCommit[] = [];
  for (let i = 0; i < batchSize; i++) {
    const built = buildBlock(head, cert, TXS_PER_BLOCK);
    batch.push(built.commit);
    head = { height: built.commit.height, hash: built.commit.hash };
    cert = built.cert;
  }
  await store.appendWal(head.height, new TextEncoder().encode(`committing ${head.height}`));
  if (batchSize === 1) await store.commitBlock(batch[0] as BlockCommit);
  else {
    process.stdout.write(`w ${head.height}\n`);
    await store.commitBlocks(batch);
  }
  process.stdout.write(`${head.height}\n`);
}
