import { GenesisError, signTransaction } from "@hansa/core";
import { describe, expect, it } from "vitest";
import {
  checkTransaction,
  EMPTY_STATE_ROOT,
  executeBlock,
  genesisState,
  getNamespace,
  LedgerErrorCode,
  ledgerMeta,
  MemoryState,
  pendingProposals,
  proveRecord,
  validatorsAt,
} from "../../src/ledger/index.js";
import { CHAIN_ID, GENESIS_TIME, keys, testGenesis } from "./helpers.js";

describe("genesisState", () => {
  it("writes organizations, members, accounts and the first validator set, and nothing else", async () => {
    const { writes, stateRoot } = await genesisState(testGenesis());
    const state = new MemoryState();
    state.apply(writes);
    expect(await ledgerMeta(state)).toEqual({ chainId: CHAIN_ID, height: 0, time: GENESIS_TIME, stateRoot });
    expect(await validatorsAt(state, 1)).toEqual(testGenesis().validators);
    expect(await pendingProposals(state)).toEqual([]);
    expect(await getNamespace(state, "shipments")).toBeUndefined();
    expect(stateRoot).not.toEqual(EMPTY_STATE_ROOT);
  });

  it("is deterministic, and its root commits to every member and validator", async () => {
    const a = await genesisState(testGenesis());
    const b = await genesisState(testGenesis());
    expect(b.stateRoot).toEqual(a.stateRoot);
    expect(b.writes).toEqual(a.writes);
    const fewer = testGenesis();
    fewer.organizations[0]!.members.pop();
    expect((await genesisState(fewer)).stateRoot).not.toEqual(a.stateRoot);
    const otherPower = testGenesis();
    otherPower.validators[0]!.power = 11;
    expect((await genesisState(otherPower)).stateRoot).not.toEqual(a.stateRoot);
  });

  it("refuses an invalid genesis", async () => {
    const twice = testGenesis();
    twice.organizations[1]!.members.push({ publicKey: keys.mfgAdmin.publicKey, roles: [] });
    await expect(genesisState(twice)).rejects.toBeInstanceOf(GenesisError);
    const empty = testGenesis();
    empty.validators = [];
    await expect(genesisState(empty)).rejects.toBeInstanceOf(GenesisError);
  });
});

describe("a state without genesis", () => {
  it("is refused by execution, admission and proofs alike", async () => {
    const empty = new MemoryState();
    const input = { chainId: CHAIN_ID, height: 1, time: GENESIS_TIME, prevStateRoot: EMPTY_STATE_ROOT, txs: [] };
    await expect(executeBlock(input, empty)).rejects.toMatchObject({
      type: { code: LedgerErrorCode.BLOCK_INVALID, txIndex: -1, cause: LedgerErrorCode.NOT_FOUND },
    });
    const tx = signTransaction(
      { chainId: CHAIN_ID, nonce: 0, kind: "governance.vote", payload: new Uint8Array() },
      keys.v0.secretKey,
    );
    await expect(checkTransaction(tx, empty)).rejects.toMatchObject({ code: LedgerErrorCode.NOT_FOUND });
    await expect(proveRecord(empty, "a", "b")).rejects.toMatchObject({ code: LedgerErrorCode.NOT_FOUND });
  });
});
