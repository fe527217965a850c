import { type Proposal, VoteType } from "@hansa/core";
import { describe, expect, it } from "vitest";
import { NIL, ThresholdKind, VoteKeeper, valueKey } from "../../src/index.js";
import { block, network, precommit, prevote, proposal } from "./fixtures.js";

const net = network(4);
const A = block("A");
const B = block("B");
const a = valueKey(A);

describe("vote keeper", () => {
  it("raises each threshold once, when it is first crossed", () => {
    const keeper = new VoteKeeper(net.set);
    const kinds = [0, 1, 2, 3].map((i) => {
      const r = keeper.addVote(prevote(net, i, 1, 0, i < 3 ? A : null), i, i < 3 ? a : NIL);
      return r.kind === "added" ? r.thresholds.map((t) => t.kind) : [r.kind];
    });
    expect(kinds).toEqual([[], [], [ThresholdKind.POLKA_ANY, ThresholdKind.POLKA_VALUE], []]);
    expect(keeper.polka(0, a)).toBe(true);
    expect(keeper.polka(0, NIL)).toBe(false);
  });

  it("counts power, not heads", () => {
    const weighted = network(4, [5, 1, 1, 1]);
    const keeper = new VoteKeeper(weighted.set);
    keeper.addVote(precommit(weighted, 0, 1, 0, A), 0, a);
    expect(keeper.precommitQuorum(0, a)).toBe(false); // 5 of 8 is not more than 2/3
    keeper.addVote(precommit(weighted, 1, 1, 0, A), 1, a);
    expect(keeper.precommitQuorum(0, a)).toBe(true);
    expect(keeper.decisions).toEqual([{ round: 0, value: a }]);
  });

  it("reports a conflicting vote and counts it only for the round's proposal", () => {
    const keeper = new VoteKeeper(net.set);
    expect(keeper.addVote(prevote(net, 1, 1, 0, B), 1, valueKey(B)).kind).toBe("added");
    expect(keeper.addVote(prevote(net, 1, 1, 0, null), 1, NIL).kind).toBe("conflict");
    expect(keeper.votesFor(0, VoteType.PREVOTE, NIL)).toEqual([]);
    const p: Proposal = proposal(net, 1, 0, A);
    keeper.setProposal(0, p, a, 0);
    expect(keeper.addVote(prevote(net, 1, 1, 0, A), 1, a).kind).toBe("conflict");
    expect(keeper.votesFor(0, VoteType.PREVOTE, a)).toHaveLength(1);
    expect(keeper.addVote(prevote(net, 1, 1, 0, A), 1, a).kind).toBe("duplicate");
  });

  it("skips to the highest round more than 1/3 of the power has shown", () => {
    const keeper = new VoteKeeper(net.set);
    keeper.noteRound(0, 9);
    expect(keeper.skipRound()).toBe(-1);
    keeper.noteRound(1, 4);
    expect(keeper.skipRound()).toBe(4);
    keeper.noteRound(2, 7);
    expect(keeper.skipRound()).toBe(7);
  });
});
