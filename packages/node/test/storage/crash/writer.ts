// Child process of crash.test.ts: commits test blocks to the store in `argv[2]` as fast as it can, resuming
// from the store's head, and prints each height once `commitBlock` has resolved. The test kills it with
// SIGKILL at an arbitrary moment.
import { decodeCommit } from "@hansa/core";
import { openStore } from "../../../src/storage/index.js";
import { buildBlock, genesis, TXS_PER_BLOCK } from "../chain-fixture.js";

const store = await openStore({ directory: process.argv[2] as string });
await store.initChain(genesis);
let head = store.head ?? { height: 0, hash: genesis.genesisHash };
let cert = head.height > 0 ? decodeCommit((await store.getCommit(head.height)) as Uint8Array) : null;
for (;;) {
  const built = buildBlock(head, cert, TXS_PER_BLOCK);
  await store.appendWal(built.commit.height, new TextEncoder().encode(`committing ${built.commit.height}`));
  await store.commitBlock(built.commit);
  process.stdout.write(`${built.commit.height}\n`);
  head = { height: built.commit.height, hash: built.commit.hash };
  cert = built.cert;
}
