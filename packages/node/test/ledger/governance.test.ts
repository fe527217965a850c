import { describe, expect, it } from "vitest";
import {
  decodeProposalResult,
  getAccount,
  getProposal,
  LedgerErrorCode,
  MAX_PENDING_PROPOSALS,
  PROPOSAL_TTL_BLOCKS,
  pendingProposals,
  VALIDATOR_UPDATE_DELAY,
  validatorsAt,
} from "../../src/ledger/index.js";
import { expectOk, keys, TestChain, testGenesis, testKey } from "./helpers.js";

const newcomer = testKey("validator-4");
const addNewcomer = { op: "add" as const, name: "validator-4", publicKey: newcomer.publicKey, power: 10, force: false };
const remove = (k: { publicKey: Uint8Array }, force = false) => ({
  op: "remove" as const,
  name: "",
  publicKey: k.publicKey,
  power: 0,
  force,
});

describe("governance: validator-set changes", () => {
  it("adds a validator once more than 2/3 of the power votes, effective two blocks later", async () => {
    const chain = await TestChain.create();
    const proposed = expectOk(await chain.run(keys.v0, "governance.propose", addNewcomer));
    expect(decodeProposalResult(proposed.result)).toEqual({ proposalId: 1, status: "pending", effectiveHeight: null });
    expect((await pendingProposals(chain.state)).map((p) => p.id)).toEqual([1]);

    // 20 of 40 is not more than 2/3; 30 of 40 is.
    const second = await chain.block([chain.tx(keys.v1, "governance.vote", { proposalId: 1 })]);
    expect(decodeProposalResult(second.receipts[0]!.result).status).toBe("pending");
    expect(second.validatorUpdate).toBeUndefined();
    const third = await chain.block([chain.tx(keys.v2, "governance.vote", { proposalId: 1 })]);
    const passedAt = chain.height;
    const effectiveHeight = passedAt + VALIDATOR_UPDATE_DELAY;
    expect(decodeProposalResult(third.receipts[0]!.result)).toEqual({
      proposalId: 1,
      status: "passed",
      effectiveHeight,
    });
    expect(third.validatorUpdate?.effectiveHeight).toBe(effectiveHeight);
    expect(third.validatorUpdate?.validators.map((v) => v.name)).toEqual([
      "validator-0",
      "validator-1",
      "validator-2",
      "validator-3",
      "validator-4",
    ]);

    expect(await validatorsAt(chain.state, passedAt + 1)).toHaveLength(4);
    expect(await validatorsAt(chain.state, effectiveHeight)).toHaveLength(5);
    expect(await validatorsAt(chain.state, effectiveHeight + 1000)).toHaveLength(5);
    expect(await validatorsAt(chain.state, 1)).toHaveLength(4);
    expect(await validatorsAt(chain.state, 0)).toBeUndefined();
    expect(await pendingProposals(chain.state)).toEqual([]);
    expect(await getProposal(chain.state, 1)).toMatchObject({
      status: "passed",
      effectiveHeight,
      votes: [keys.v0.publicKey, keys.v1.publicKey, keys.v2.publicKey],
    });

    // The late vote finds it closed; the newcomer has an account but no vote until its set is in force.
    expect(await getAccount(chain.state, newcomer.publicKey)).toMatchObject({ nonce: 0, organization: null });
    const next = await chain.block([
      chain.tx(keys.v3, "governance.vote", { proposalId: 1 }),
      chain.tx(newcomer, "governance.propose", remove(keys.v3)),
    ]);
    expect(chain.height).toBe(effectiveHeight - 1);
    expect(next.receipts.map((r) => r.code)).toEqual([LedgerErrorCode.PROPOSAL_CLOSED, LedgerErrorCode.NOT_VALIDATOR]);
    // At the effective height it is a validator: removing one of 5 keeps tolerance at 1 failure.
    expectOk(await chain.run(newcomer, "governance.propose", remove(keys.v3)));
  });

  it("votes count with the power of the set in force: after growing to 5, 30 of 50 is not enough", async () => {
    const chain = await TestChain.create();
    await chain.block([
      chain.tx(keys.v0, "governance.propose", addNewcomer),
      chain.tx(keys.v1, "governance.vote", { proposalId: 1 }),
      chain.tx(keys.v2, "governance.vote", { proposalId: 1 }),
    ]);
    await chain.advance(VALIDATOR_UPDATE_DELAY);
    await chain.block([
      chain.tx(keys.v0, "governance.propose", remove(keys.v3)),
      chain.tx(keys.v1, "governance.vote", { proposalId: 2 }),
      chain.tx(keys.v2, "governance.vote", { proposalId: 2 }),
    ]);
    expect((await getProposal(chain.state, 2))?.status).toBe("pending");
    const { receipts, validatorUpdate } = await chain.block([chain.tx(newcomer, "governance.vote", { proposalId: 2 })]);
    expect(decodeProposalResult(receipts[0]!.result).status).toBe("passed");
    expect(validatorUpdate?.validators.map((v) => v.name)).toEqual([
      "validator-0",
      "validator-1",
      "validator-2",
      "validator-4",
    ]);
  });

  it("votes of validators no longer in force stop counting and are dropped", async () => {
    const chain = await TestChain.create();
    await chain.block([
      chain.tx(keys.v0, "governance.propose", addNewcomer),
      chain.tx(keys.v3, "governance.vote", { proposalId: 1 }),
    ]);
    await chain.block([
      chain.tx(keys.v0, "governance.propose", remove(keys.v3, true)),
      chain.tx(keys.v1, "governance.vote", { proposalId: 2 }),
      chain.tx(keys.v2, "governance.vote", { proposalId: 2 }),
    ]);
    await chain.advance(1);
    expect(await validatorsAt(chain.state, chain.height + 1)).toHaveLength(3);
    // v0 and v1 hold 20 of the 30 now in force: not more than 2/3, and v3's vote is gone.
    await chain.block([chain.tx(keys.v1, "governance.vote", { proposalId: 1 })]);
    expect(await getProposal(chain.state, 1)).toMatchObject({
      status: "pending",
      votes: [keys.v0.publicKey, keys.v1.publicKey],
    });
    const { validatorUpdate } = await chain.block([chain.tx(keys.v2, "governance.vote", { proposalId: 1 })]);
    expect(validatorUpdate?.validators.map((v) => v.name)).toEqual([
      "validator-0",
      "validator-1",
      "validator-2",
      "validator-4",
    ]);
  });

  it("refuses removing a validator from a set of 4 unless forced, then applies it", async () => {
    const chain = await TestChain.create();
    const refused = await chain.run(keys.v0, "governance.propose", remove(keys.v3));
    expect(refused.code).toBe(LedgerErrorCode.FAULT_TOLERANCE_REDUCED);
    expect(refused.message).toMatch(/tolerate 0 failed validator\(s\) instead of 1/);
    expect(await pendingProposals(chain.state)).toEqual([]);

    const { receipts, validatorUpdate } = await chain.block([
      chain.tx(keys.v0, "governance.propose", remove(keys.v3, true)),
      chain.tx(keys.v1, "governance.vote", { proposalId: 1 }),
      chain.tx(keys.v2, "governance.vote", { proposalId: 1 }),
    ]);
    receipts.forEach(expectOk);
    expect(validatorUpdate?.validators).toHaveLength(3);
  });

  it("refuses concentrating power and changes that make quorum depend on newcomers, unless forced", async () => {
    const chain = await TestChain.create();
    const concentrate = { op: "set_power" as const, name: "", publicKey: keys.v0.publicKey, power: 100, force: false };
    expect((await chain.run(keys.v0, "governance.propose", concentrate)).code).toBe(
      LedgerErrorCode.FAULT_TOLERANCE_REDUCED,
    );
    const heavy = { ...addNewcomer, power: 100 };
    const r = await chain.run(keys.v0, "governance.propose", heavy);
    expect(r.code).toBe(LedgerErrorCode.QUORUM_AT_RISK);
    expect(r.message).toContain("40 of 140");
    expectOk(await chain.run(keys.v0, "governance.propose", { ...heavy, force: true }));
    // A modest power change keeps tolerance: 4 validators at 10, 10, 10, 12 still tolerate one failure.
    expectOk(await chain.run(keys.v0, "governance.propose", { ...concentrate, power: 12 }));
  });

  it("refuses changes that cannot apply", async () => {
    const chain = await TestChain.create();
    const bad = [
      { ...addNewcomer, publicKey: keys.v1.publicKey },
      remove(keys.outsider),
      { op: "set_power" as const, name: "", publicKey: keys.outsider.publicKey, power: 5, force: false },
      { ...addNewcomer, power: 2 ** 50 },
    ];
    for (const change of bad) {
      expect((await chain.run(keys.v0, "governance.propose", change)).code).toBe(
        LedgerErrorCode.INVALID_VALIDATOR_CHANGE,
      );
    }
    const solo = await TestChain.create(testGenesis(1));
    expect((await solo.run(keys.v0, "governance.propose", remove(keys.v0, true))).code).toBe(
      LedgerErrorCode.INVALID_VALIDATOR_CHANGE,
    );
  });

  it("a single validator's proposal passes at once", async () => {
    const chain = await TestChain.create(testGenesis(1));
    const { receipts, validatorUpdate } = await chain.block([
      chain.tx(keys.v0, "governance.propose", { ...addNewcomer, power: 1 }),
    ]);
    expect(decodeProposalResult(receipts[0]!.result)).toEqual({ proposalId: 1, status: "passed", effectiveHeight: 3 });
    expect(validatorUpdate).toEqual({
      effectiveHeight: 3,
      validators: [
        { name: "validator-0", publicKey: keys.v0.publicKey, power: 10 },
        { name: "validator-4", publicKey: newcomer.publicKey, power: 1 },
      ],
    });
  });

  it("two changes passed in one block share one effective height", async () => {
    const chain = await TestChain.create(testGenesis(1));
    const other = testKey("validator-5");
    const { validatorUpdate } = await chain.block([
      chain.tx(keys.v0, "governance.propose", { ...addNewcomer, power: 1 }),
      chain.tx(keys.v0, "governance.propose", {
        ...addNewcomer,
        name: "validator-5",
        publicKey: other.publicKey,
        power: 1,
      }),
    ]);
    expect(validatorUpdate?.effectiveHeight).toBe(3);
    expect(validatorUpdate?.validators.map((v) => v.name)).toEqual(["validator-0", "validator-4", "validator-5"]);
    expect(await validatorsAt(chain.state, 3)).toHaveLength(3);
    expect(await validatorsAt(chain.state, 2)).toHaveLength(1);
  });

  it("a vote that would pass a change that no longer applies fails; the proposal stays pending", async () => {
    const chain = await TestChain.create();
    await chain.block([
      chain.tx(keys.v0, "governance.propose", addNewcomer),
      chain.tx(keys.v1, "governance.propose", addNewcomer),
      chain.tx(keys.v1, "governance.vote", { proposalId: 1 }),
      chain.tx(keys.v2, "governance.vote", { proposalId: 1 }),
    ]);
    expect((await getProposal(chain.state, 1))?.status).toBe("passed");
    expect((await chain.run(keys.v1, "governance.vote", { proposalId: 2 })).code).toBe(LedgerErrorCode.ALREADY_VOTED);
    // The 5-validator set is in force from height 3: 40 of its 50 power is needed.
    expectOk(await chain.run(keys.v0, "governance.vote", { proposalId: 2 }));
    expectOk(await chain.run(keys.v2, "governance.vote", { proposalId: 2 }));
    const r = await chain.run(keys.v3, "governance.vote", { proposalId: 2 });
    expect(r.code).toBe(LedgerErrorCode.INVALID_VALIDATOR_CHANGE);
    expect(await getProposal(chain.state, 2)).toMatchObject({
      status: "pending",
      votes: [keys.v1.publicKey, keys.v0.publicKey, keys.v2.publicKey],
    });
  });

  it("only validators of the set in force propose and vote; double and unknown votes fail", async () => {
    const chain = await TestChain.create();
    expect((await chain.run(keys.mfgAdmin, "governance.propose", addNewcomer)).code).toBe(
      LedgerErrorCode.NOT_VALIDATOR,
    );
    expectOk(await chain.run(keys.v0, "governance.propose", addNewcomer));
    expect((await chain.run(keys.mfgAdmin, "governance.vote", { proposalId: 1 })).code).toBe(
      LedgerErrorCode.NOT_VALIDATOR,
    );
    expect((await chain.run(keys.v0, "governance.vote", { proposalId: 1 })).code).toBe(LedgerErrorCode.ALREADY_VOTED);
    expectOk(await chain.run(keys.v1, "governance.vote", { proposalId: 1 }));
    expect((await chain.run(keys.v1, "governance.vote", { proposalId: 1 })).code).toBe(LedgerErrorCode.ALREADY_VOTED);
    expect((await chain.run(keys.v1, "governance.vote", { proposalId: 99 })).code).toBe(
      LedgerErrorCode.PROPOSAL_NOT_FOUND,
    );
  });

  it("proposals expire; a full pending list makes room by dropping expired ones", async () => {
    const chain = await TestChain.create();
    const many = [];
    for (let i = 0; i < MAX_PENDING_PROPOSALS; i++) {
      const k = testKey(`candidate-${i}`);
      many.push(chain.tx(keys.v0, "governance.propose", { ...addNewcomer, name: k.name, publicKey: k.publicKey }));
    }
    const extra = testKey("candidate-extra");
    const extraChange = { ...addNewcomer, name: extra.name, publicKey: extra.publicKey };
    many.push(chain.tx(keys.v0, "governance.propose", extraChange));
    const { receipts } = await chain.block(many);
    expect(receipts.slice(0, -1).every((r) => r.ok)).toBe(true);
    expect(receipts.at(-1)?.code).toBe(LedgerErrorCode.TOO_MANY_PROPOSALS);
    expect(await pendingProposals(chain.state)).toHaveLength(MAX_PENDING_PROPOSALS);

    const expires = (await getProposal(chain.state, 1))!.expiresHeight;
    expect(expires).toBe(1 + PROPOSAL_TTL_BLOCKS);
    await chain.advance(expires - chain.height - 1);
    expectOk(await chain.run(keys.v1, "governance.vote", { proposalId: 1 })); // at `expires`: still open
    expect(await pendingProposals(chain.state)).toEqual([]);
    expect((await chain.run(keys.v2, "governance.vote", { proposalId: 1 })).code).toBe(
      LedgerErrorCode.PROPOSAL_EXPIRED,
    );
    expect(
      decodeProposalResult(expectOk(await chain.run(keys.v0, "governance.propose", extraChange)).result),
    ).toMatchObject({
      proposalId: MAX_PENDING_PROPOSALS + 1,
      status: "pending",
    });
    expect((await pendingProposals(chain.state)).map((p) => p.id)).toEqual([MAX_PENDING_PROPOSALS + 1]);
  });
});
