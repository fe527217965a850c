import { type Evidence, encodeEvidence, evidenceId, signProposal, signVote, VoteType } from "@hansa/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blockEvidenceProblem, EVIDENCE_MAX_AGE, selectEvidence } from "../../src/runtime/block-evidence.js";
import { EvidencePool } from "../../src/runtime/evidence-pool.js";
import { openStore, type Store } from "../../src/storage/index.js";
import { buildBlock, CHAIN_ID, genesis, genesisHash, validatorKeys, validatorSet } from "../storage/chain-fixture.js";
import { tempDir } from "../storage/temp-dir.js";

const HASH_A = new Uint8Array(32).fill(0xaa);
const HASH_B = new Uint8Array(32).fill(0xbb);

type VoteEvidence = Extract<Evidence, { kind: "duplicate_vote" }>;

function doubleVote(signer: number, height: number, type: VoteType = VoteType.PREVOTE, second = HASH_B): VoteEvidence {
  const sk = validatorKeys[signer] as Uint8Array;
  return {
    kind: "duplicate_vote",
    first: signVote(CHAIN_ID, { type, height, round: 0, blockHash: HASH_A }, sk),
    second: signVote(CHAIN_ID, { type, height, round: 0, blockHash: second }, sk),
  };
}

function doubleProposal(signer: number, height: number): Evidence {
  const sk = validatorKeys[signer] as Uint8Array;
  const base = { height, round: 1, polRound: null };
  return {
    kind: "duplicate_proposal",
    first: signProposal(CHAIN_ID, { ...base, blockHash: HASH_A }, sk),
    second: signProposal(CHAIN_ID, { ...base, blockHash: HASH_B }, sk),
  };
}

let dir: Awaited<ReturnType<typeof tempDir>>;
let store: Store;
const chain = { chainId: CHAIN_ID, validatorsAt: async () => validatorSet };

beforeEach(async () => {
  dir = await tempDir("evidence");
  store = await openStore({ directory: dir.path });
  await store.initChain(genesis);
});

afterEach(async () => {
  await store.close();
  await dir.remove();
});

describe("evidence in blocks", () => {
  it("accepts valid evidence of both kinds", async () => {
    const problem = await blockEvidenceProblem([doubleVote(1, 5), doubleProposal(2, 5)], 6, { chain, store });
    expect(problem).toBeUndefined();
  });

  it("names the first piece that does not qualify", async () => {
    const forged = doubleVote(1, 5);
    const wrongSigner: Evidence = {
      ...forged,
      second: { ...doubleVote(2, 5).second, validator: forged.first.validator },
    };
    const cases: [string, Evidence[], number, string][] = [
      ["a forged signature", [doubleVote(0, 5), wrongSigner], 6, "evidence 1 does not verify"],
      ["the same message twice", [{ ...forged, second: forged.first }], 6, "evidence 0 does not verify"],
      ["two steps", [{ ...forged, second: doubleVote(1, 5, VoteType.PRECOMMIT).second }], 6, "does not verify"],
      ["a later height", [doubleVote(1, 7)], 6, "evidence 0 is for height 7, above the block"],
      ["an old height", [doubleVote(1, 1)], EVIDENCE_MAX_AGE + 2, "older than"],
      [
        "the same misbehaviour twice",
        [
          doubleVote(1, 5),
          doubleVote(
            1,
            5,
            VoteType.PREVOTE,
            HASH_A.map(() => 1),
          ),
        ],
        6,
        "evidence 1 repeats an earlier one",
      ],
    ];
    for (const [what, evidence, height, expected] of cases) {
      expect(await blockEvidenceProblem(evidence, height, { chain, store }), what).toContain(expected);
    }
  });

  it("refuses evidence already committed, and the proposer drops it from its pool", async () => {
    const piece = doubleVote(3, 1);
    const built = buildBlock({ height: 0, hash: genesisHash }, null);
    await store.commitBlock({ ...built.commit, evidence: [{ id: evidenceId(piece), bytes: encodeEvidence(piece) }] });
    expect(await store.getEvidenceHeight(evidenceId(piece))).toBe(1);
    expect(await blockEvidenceProblem([piece], 2, { chain, store })).toBe("evidence 0 was committed before");

    const pool = new EvidencePool();
    const fresh = doubleProposal(0, 1);
    expect(pool.add(piece)).toBe(true);
    expect(pool.add(piece), "the same misbehaviour waits once").toBe(false);
    expect(pool.add(fresh)).toBe(true);
    expect(await selectEvidence(pool, 2, { chain, store })).toEqual([fresh]);
    expect(pool.size).toBe(1);
  });

  it("lists committed evidence in chain order, in pages", async () => {
    let head = { height: 0, hash: genesisHash };
    let cert = null;
    for (let height = 1; height <= 3; height++) {
      const built = buildBlock(head, cert);
      const evidence = [doubleVote(height, height), doubleProposal(0, height)].slice(0, height === 2 ? 0 : 2);
      await store.commitBlock({
        ...built.commit,
        evidence: evidence.map((e) => ({ id: evidenceId(e), bytes: encodeEvidence(e) })),
      });
      head = { height, hash: built.commit.hash };
      cert = built.cert;
    }
    const all = await store.listEvidence({ height: 1, index: 0 }, 10);
    expect(all.map((e) => [e.height, e.index])).toEqual([
      [1, 0],
      [1, 1],
      [3, 0],
      [3, 1],
    ]);
    const page = await store.listEvidence({ height: 1, index: 1 }, 2);
    expect(page.map((e) => [e.height, e.index])).toEqual([
      [1, 1],
      [3, 0],
    ]);
  });
});
