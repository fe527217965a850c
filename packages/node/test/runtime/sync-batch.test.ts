// SyncBatch: synced blocks checked but not yet written must read, to the next block's checks, exactly like the
// store will once they are written: their state, their transactions, the validator sets they scheduled.
import {
  type Block,
  type Evidence,
  encodeReceipt,
  evidenceId,
  sha256,
  signVote,
  utf8ToBytes,
  ValidatorSet,
  VoteType,
} from "@hansa/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PreparedBlock } from "../../src/runtime/blocks.js";
import { ChainView } from "../../src/runtime/chain.js";
import { SyncBatch } from "../../src/runtime/sync-batch.js";
import { openStore, type Store } from "../../src/storage/index.js";
import { keys, testGenesis } from "../ledger/helpers.js";
import { certify } from "../storage/chain-fixture.js";
import { tempDir } from "../storage/temp-dir.js";

let dir: Awaited<ReturnType<typeof tempDir>>;
let store: Store;
let chain: ChainView;

beforeEach(async () => {
  dir = await tempDir("sync-batch");
  store = await openStore({ directory: dir.path });
  chain = await ChainView.open(testGenesis(), store);
});

afterEach(async () => {
  await store.close();
  await dir.remove();
});

const newValidators = [{ name: "v0", publicKey: keys.v0.publicKey, power: 1 }];
const newSet = new ValidatorSet(newValidators);

/** One validator's two prevotes for the same round: what a staged block may carry as evidence. */
const equivocation: Evidence = {
  kind: "duplicate_vote",
  first: signVote("hansa-test", { type: VoteType.PREVOTE, height: 1, round: 0, blockHash: null }, keys.v0.secretKey),
  second: signVote(
    "hansa-test",
    { type: VoteType.PREVOTE, height: 1, round: 0, blockHash: sha256(utf8ToBytes("b")) },
    keys.v0.secretKey,
  ),
};

/** A synced block at `height` on `prevHash` with one transaction and one state write, as `validate` returns it. */
function stagedAt(height: number, prevHash: Uint8Array, scheduleSet = false, evidence: Evidence[] = []) {
  const txHash = sha256(utf8ToBytes(`tx ${height}`));
  const hash = sha256(utf8ToBytes(`block ${height}`));
  const block = {
    header: { height, time: 1_700_000_000_000 + height, prevBlockHash: prevHash, stateRoot: sha256(utf8ToBytes("s")) },
    txs: [],
    evidence,
    lastCommit: null,
  } as unknown as Block;
  const receipt = { txHash, ok: true, code: "", message: "", result: new Uint8Array() };
  const prepared: PreparedBlock = {
    block,
    bytes: utf8ToBytes(`bytes of block ${height}`),
    hash,
    txHashes: [txHash],
    senders: [keys.mfgWriter.publicKey],
    result: {
      receipts: [receipt],
      encodedReceipts: [encodeReceipt(receipt)],
      receiptsRoot: sha256(utf8ToBytes("r")),
      stateRoot: sha256(utf8ToBytes("s")),
      writes: [{ key: utf8ToBytes(`key ${height}`), value: utf8ToBytes(`value ${height}`) }],
      ...(scheduleSet ? { validatorUpdate: { effectiveHeight: height + 2, validators: newValidators } } : {}),
    },
  };
  const certificate = certify(height, hash);
  return { prepared, certificate, commitBytes: utf8ToBytes(`commit ${height}`), txHash, hash };
}

describe("SyncBatch", () => {
  it("reads staged blocks like the committed chain, then writes them in one batch", async () => {
    const batch = new SyncBatch(chain, store);
    const genesisSet = await chain.validatorsAt(1);
    expect(batch.tip).toBe(chain.tip);

    const one = stagedAt(1, chain.tip.hash, true);
    batch.add(one);
    const two = stagedAt(2, one.hash, false, [equivocation]);
    batch.add(two);

    // The next block is checked against the staged tip, state, transactions and validator sets...
    expect(batch.tip).toMatchObject({ height: 2, hash: two.hash, commit: two.certificate });
    expect(await batch.get(utf8ToBytes("key 1"))).toEqual(utf8ToBytes("value 1"));
    expect(await batch.getTxLocations([two.txHash, one.txHash, sha256(utf8ToBytes("other"))])).toEqual([
      { height: 2, index: 0 },
      { height: 1, index: 0 },
      undefined,
    ]);
    expect(await batch.getEvidenceHeight(evidenceId(equivocation))).toBe(2);
    expect((await batch.validatorsAt(2)).hash).toEqual(genesisSet.hash);
    expect((await batch.validatorsAt(3)).hash).toEqual(newSet.hash);
    // ...while the store and the chain still show only what is written.
    expect(await store.get(utf8ToBytes("key 1"))).toBeUndefined();
    expect(await store.getEvidenceHeight(evidenceId(equivocation))).toBeUndefined();
    expect(chain.tip.height).toBe(0);
    expect((await chain.validatorsAt(3)).hash).toEqual(genesisSet.hash);

    await store.commitBlocks(batch.commits());
    batch.clear();
    expect(store.head).toEqual({ height: 2, hash: two.hash });
    expect(await store.get(utf8ToBytes("key 2"))).toEqual(utf8ToBytes("value 2"));
    expect(await store.getTxLocations([one.txHash])).toEqual([{ height: 1, index: 0 }]);
    expect(await store.getCommit(2)).toEqual(two.commitBytes);
    expect(await store.getEvidenceHeight(evidenceId(equivocation))).toBe(2);
    expect(await batch.getEvidenceHeight(evidenceId(equivocation))).toBe(2);
    expect((await store.validatorSetAt(3)).hash).toEqual(newSet.hash);
    expect(batch.size).toBe(0);
    expect(batch.tip).toBe(chain.tip);
  });
});
