import { DEFAULT_CONSENSUS_PARAMS } from "@hansa/core";
import { describe, expect, it } from "vitest";
import { decodeWalRecord, encodeWalRecord, proposerFor, TimeoutStep, timeoutDuration } from "../../src/index.js";
import { block, network, prevote, proposal } from "./fixtures.js";

describe("proposerFor", () => {
  it("gives each validator turns in proportion to its power, spread out", () => {
    const net = network(4, [1, 2, 3, 4]);
    const counts = [0, 0, 0, 0];
    let repeats = 0;
    let previous = -1;
    for (let round = 0; round < 1000; round++) {
      const index = net.set.indexOf(proposerFor(net.set, 7, round).publicKey);
      counts[index] = (counts[index] as number) + 1;
      if (index === previous) repeats++;
      previous = index;
    }
    expect(counts).toEqual([100, 200, 300, 400]);
    expect(repeats).toBeLessThan(400);
  });

  it("is deterministic and rotates with height and round", () => {
    const net = network(4);
    const order = (h: number) => [0, 1, 2, 3].map((r) => net.set.indexOf(proposerFor(net.set, h, r).publicKey));
    expect(order(1)).toEqual(order(1));
    expect(new Set(order(1)).size).toBe(4);
    expect(order(2)).not.toEqual(order(1));
  });
});

describe("timeoutDuration", () => {
  it("grows by the delta per round up to the cap", () => {
    const p = { ...DEFAULT_CONSENSUS_PARAMS, timeoutProposeMs: 1000, timeoutDeltaMs: 500, timeoutCapMs: 3000 };
    expect([0, 1, 4, 1000].map((r) => timeoutDuration(p, TimeoutStep.PROPOSE, r))).toEqual([1000, 1500, 3000, 3000]);
  });
});

describe("WAL records", () => {
  it("round-trip through their canonical encoding", () => {
    const net = network(4);
    const vote = prevote(net, 1, 3, 2, null);
    const p = proposal(net, 3, 2, block("x"), 1);
    expect(decodeWalRecord(encodeWalRecord({ kind: "vote", vote }))).toEqual({ kind: "vote", vote });
    expect(decodeWalRecord(encodeWalRecord({ kind: "proposal", proposal: p }))).toEqual({
      kind: "proposal",
      proposal: p,
    });
  });
});
