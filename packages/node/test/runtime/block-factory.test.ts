import {
  type Block,
  blockHash,
  encodeBlock,
  encodeCommit,
  encodeTransaction,
  evidenceRoot,
  merkleRoot,
  sha256,
  transactionHash,
  utf8ToBytes,
} from "@hansa/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildPayload, checkTransaction, nextNonce } from "../../src/ledger/index.js";
import { createMempool, type Mempool } from "../../src/mempool/index.js";
import { BlockFactory, blockCommit, type PreparedBlock } from "../../src/runtime/blocks.js";
import { ChainView } from "../../src/runtime/chain.js";
import { EvidencePool } from "../../src/runtime/evidence-pool.js";
import { openStore, type Store } from "../../src/storage/index.js";
import { CHAIN_ID, keys, signed, testGenesis } from "../ledger/helpers.js";
import { certify } from "../storage/chain-fixture.js";
import { tempDir } from "../storage/temp-dir.js";

let dir: Awaited<ReturnType<typeof tempDir>>;
let store: Store;
let chain: ChainView;
let mempool: Mempool;
let factory: BlockFactory;
/** Every hash the factory looked up in the committed transaction index. */
let lookups: Uint8Array[];

beforeEach(async () => {
  dir = await tempDir("block-factory");
  store = await openStore({ directory: dir.path });
  chain = await ChainView.open(testGenesis(), store);
  mempool = createMempool(
    { chainId: CHAIN_ID },
    {
      store,
      ledger: {
        nextNonce: (sender) => nextNonce(store, sender),
        check: (tx, expectedNonce, { dryRun }) =>
          checkTransaction(tx, store, { expectedNonce, signatureVerified: true, dryRun }),
      },
    },
  );
  lookups = [];
  const blockStore = {
    get: (key: Uint8Array, id?: string) => store.get(key, id),
    getTxLocations: (hashes: readonly Uint8Array[]) => {
      lookups.push(...hashes);
      return store.getTxLocations(hashes);
    },
    getEvidenceHeight: (id: Uint8Array) => store.getEvidenceHeight(id),
  };
  factory = new BlockFactory({ chain, store: blockStore, mempool, evidence: new EvidencePool() });
});

afterEach(async () => {
  await store.close();
  await dir.remove();
});

const createNamespace = (nonce: number) =>
  encodeTransaction(
    signed(
      keys.mfgAdmin,
      nonce,
      "namespace.create",
      buildPayload("namespace.create", { name: `ns-${nonce}`, description: "" }).payload,
    ),
  );

/** Writes a built block as the node does, without (yet) telling the mempool. */
async function commit(prepared: PreparedBlock): Promise<void> {
  const certificate = certify(prepared.block.header.height, prepared.hash);
  await store.commitBlock(blockCommit(prepared, encodeCommit(certificate)));
  chain.advance(prepared.block, prepared.hash, certificate);
}

/** A block on the tip holding `txs`, well-formed up to its execution roots (which are not reached). */
async function blockOnTip(txs: Uint8Array[]): Promise<Block> {
  const tip = chain.tip;
  return {
    header: {
      chainId: CHAIN_ID,
      height: tip.height + 1,
      time: tip.time + 1,
      prevBlockHash: tip.hash,
      txRoot: merkleRoot(txs.map(transactionHash)),
      stateRoot: tip.stateRoot,
      receiptsRoot: sha256(utf8ToBytes("not reached")),
      evidenceRoot: evidenceRoot([]),
      validatorSetHash: (await chain.validatorsAt(tip.height + 1)).hash,
      proposer: keys.v1.publicKey,
      lastCommitHash: tip.commitHash,
    },
    txs,
    evidence: [],
    lastCommit: tip.commit,
  };
}

const validate = (block: Block) =>
  factory.validate(encodeBlock(block), { height: block.header.height, hash: blockHash(block.header) });

describe("BlockFactory.validate", () => {
  it("refuses a block repeating a committed transaction, before and after the mempool learns of the commit", async () => {
    const tx = createNamespace(0);
    await mempool.add(tx);
    const one = await factory.build(1, keys.v0.publicKey);
    expect(one.txHashes).toHaveLength(1);
    await commit(one);
    // The mempool still holds the transaction as pending: it must not vouch for it.
    await expect(validate(await blockOnTip([tx]))).rejects.toThrow("transaction 0 was committed before");
    await mempool.update({ height: 1, txHashes: one.txHashes, senders: one.senders });
    await expect(validate(await blockOnTip([tx]))).rejects.toThrow("transaction 0 was committed before");
  });

  it("looks up only transactions that an up-to-date mempool does not hold as pending", async () => {
    await mempool.add(createNamespace(0));
    const one = await factory.build(1, keys.v0.publicKey);
    await commit(one);
    await mempool.update({ height: 1, txHashes: one.txHashes, senders: one.senders });

    await mempool.add(createNamespace(1));
    const two = await factory.build(2, keys.v1.publicKey);
    expect(two.txHashes).toHaveLength(1);
    lookups = [];
    const checked = await factory.validate(two.bytes, { height: 2, hash: two.hash });
    expect(checked.hash).toEqual(two.hash);
    expect(lookups).toEqual([]);

    // A transaction this node never saw is looked up.
    const stranger = createNamespace(2);
    await expect(validate(await blockOnTip([stranger]))).rejects.toThrow();
    expect(lookups).toEqual([transactionHash(stranger)]);
  });
});
