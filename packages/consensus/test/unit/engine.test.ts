import { equalBytes, verifyCommit } from "@hansa/core";
import { describe, expect, it } from "vitest";
import {
  type EngineAction,
  type EngineEvent,
  FUTURE_HEIGHTS,
  FUTURE_ROUNDS,
  Step,
  TimeoutStep,
  verifyEvidence,
  type WalRecord,
} from "../../src/index.js";
import {
  block,
  CHAIN_ID,
  engineFor,
  network,
  precommit,
  prevote,
  proposal,
  proposerIndex,
  summarize,
} from "./fixtures.js";

const net = network(4);
const H = 1;
const P0 = proposerIndex(net, H, 0);
/** A validator that does not propose rounds 0 and 1 of height 1. */
const ME = [0, 1, 2, 3].find((i) => i !== P0 && i !== proposerIndex(net, H, 1)) as number;
const others = [0, 1, 2, 3].filter((i) => i !== ME);
const A = block("A");
const B = block("B");
const start: EngineEvent = { type: "start_height", height: H, validators: net.set };

interface Row {
  desc: string;
  input: EngineEvent;
  expectedActions: string[];
  expectedState?: Partial<{ round: number; step: string; lockedRound: number; validRound: number }>;
}

function runTable(rows: Row[], engine = engineFor(net, ME)) {
  for (const row of rows) {
    const actions = engine.apply(row.input);
    expect(summarize(actions), row.desc).toEqual(row.expectedActions);
    if (row.expectedState) expect(engine.snapshot(), row.desc).toMatchObject(row.expectedState);
  }
  return engine;
}

describe("engine: one height from a validator's point of view (4 validators)", () => {
  it("proposal, polka, lock, precommit quorum, commit", () => {
    const [x, y] = others.filter((i) => i !== P0) as [number, number];
    runTable([
      {
        desc: "start: wait for the proposer",
        input: start,
        expectedActions: ["timeout propose r0 1000ms", "timeout rebroadcast r0 1000ms"],
        expectedState: { round: 0, step: Step.PROPOSE },
      },
      {
        desc: "proposal from the proposer: ask the application",
        input: { type: "proposal", proposal: proposal(net, H, 0, A) },
        expectedActions: ["validate h1 r0"],
      },
      {
        desc: "valid: line 22 prevotes the block, persisted first",
        input: { type: "block_validated", height: H, round: 0, blockHash: A, valid: true },
        expectedActions: ["persist vote", "prevote r0 block"],
        expectedState: { step: Step.PREVOTE },
      },
      {
        desc: "one more prevote: no quorum",
        input: { type: "vote", vote: prevote(net, P0, H, 0, A) },
        expectedActions: [],
      },
      {
        desc: "2f+1 prevotes for the block: line 36 locks and precommits (line 34 no longer applies)",
        input: { type: "vote", vote: prevote(net, x, H, 0, A) },
        expectedActions: ["persist vote", "precommit r0 block"],
        expectedState: { step: Step.PRECOMMIT, lockedRound: 0, validRound: 0 },
      },
      { desc: "a precommit", input: { type: "vote", vote: precommit(net, P0, H, 0, A) }, expectedActions: [] },
      {
        desc: "2f+1 precommits: line 49 decides",
        input: { type: "vote", vote: precommit(net, y, H, 0, A) },
        expectedActions: ["commit h1 r0"],
        expectedState: { step: Step.COMMIT },
      },
    ]);
  });

  it("the commit carries a certificate that verifies", () => {
    const engine = engineFor(net, ME);
    engine.apply(start);
    engine.apply({ type: "proposal", proposal: proposal(net, H, 0, A) });
    engine.apply({ type: "block_validated", height: H, round: 0, blockHash: A, valid: true });
    for (const i of others) engine.apply({ type: "vote", vote: prevote(net, i, H, 0, A) });
    let commit: EngineAction | undefined;
    for (const i of others)
      commit ??= engine.apply({ type: "vote", vote: precommit(net, i, H, 0, A) }).find((a) => a.type === "commit");
    if (commit?.type !== "commit") throw new Error("no commit");
    expect(equalBytes(commit.blockHash, A)).toBe(true);
    expect(() => verifyCommit(CHAIN_ID, net.set, commit.certificate, { height: H, blockHash: A })).not.toThrow();
  });

  it("prevotes nil for an invalid block, and times out through a nil round", () => {
    runTable([
      { desc: "start", input: start, expectedActions: ["timeout propose r0 1000ms", "timeout rebroadcast r0 1000ms"] },
      {
        desc: "proposal",
        input: { type: "proposal", proposal: proposal(net, H, 0, A) },
        expectedActions: ["validate h1 r0"],
      },
      {
        desc: "invalid: line 26 prevotes nil",
        input: { type: "block_validated", height: H, round: 0, blockHash: A, valid: false },
        expectedActions: ["persist vote", "prevote r0 nil"],
      },
      ...others.slice(0, 2).map((i, k) => ({
        desc: `nil prevote ${k}`,
        input: { type: "vote", vote: prevote(net, i, H, 0, null) } as EngineEvent,
        expectedActions: k === 0 ? [] : ["timeout prevote r0 500ms", "persist vote", "precommit r0 nil"],
      })),
      ...others.slice(0, 2).map((i, k) => ({
        desc: `nil precommit ${k}`,
        input: { type: "vote", vote: precommit(net, i, H, 0, null) } as EngineEvent,
        expectedActions: k === 0 ? [] : ["timeout precommit r0 500ms"],
      })),
      {
        desc: "line 65: timeoutPrecommit starts round 1 with longer timeouts",
        input: { type: "timeout", height: H, round: 0, step: TimeoutStep.PRECOMMIT },
        expectedActions: ["timeout rebroadcast r1 1500ms", "timeout propose r1 1500ms"],
        expectedState: { round: 1, step: Step.PROPOSE },
      },
      {
        desc: "line 57: timeoutPropose prevotes nil",
        input: { type: "timeout", height: H, round: 1, step: TimeoutStep.PROPOSE },
        expectedActions: ["persist vote", "prevote r1 nil"],
      },
      {
        desc: "a stale timeout does nothing",
        input: { type: "timeout", height: H, round: 0, step: TimeoutStep.PROPOSE },
        expectedActions: [],
      },
    ]);
  });

  it("keeps its lock: refuses a fresh proposal, accepts a re-proposal with a proof of lock", () => {
    const engine = engineFor(net, ME);
    engine.apply(start);
    engine.apply({ type: "proposal", proposal: proposal(net, H, 0, A) });
    engine.apply({ type: "block_validated", height: H, round: 0, blockHash: A, valid: true });
    for (const i of others) engine.apply({ type: "vote", vote: prevote(net, i, H, 0, A) });
    for (const i of others.slice(0, 2)) engine.apply({ type: "vote", vote: precommit(net, i, H, 0, null) });
    expect(engine.snapshot()).toMatchObject({ lockedRound: 0, step: Step.PRECOMMIT });
    engine.apply({ type: "timeout", height: H, round: 0, step: TimeoutStep.PRECOMMIT });
    runTable(
      [
        {
          desc: "round 1: a fresh proposal for another block",
          input: { type: "proposal", proposal: proposal(net, H, 1, B) },
          expectedActions: ["validate h1 r1"],
        },
        {
          desc: "valid, but locked on A: line 23 prevotes nil",
          input: { type: "block_validated", height: H, round: 1, blockHash: B, valid: true },
          expectedActions: ["persist vote", "prevote r1 nil"],
        },
      ],
      engine,
    );
    for (const i of others.slice(0, 2)) engine.apply({ type: "vote", vote: precommit(net, i, H, 1, null) });
    engine.apply({ type: "timeout", height: H, round: 1, step: TimeoutStep.PRECOMMIT });
    const actions = engine.apply({ type: "proposal", proposal: proposal(net, H, 2, A, 0) });
    expect(summarize(actions), "line 28: re-proposal of A from round 0, whose polka we hold").toEqual([
      "persist vote",
      "prevote r2 block",
    ]);
  });

  it("skips to a round where more than 1/3 of the power is (line 55)", () => {
    const engine = engineFor(net, ME);
    engine.apply(start);
    engine.apply({ type: "vote", vote: prevote(net, others[0] as number, H, 3, null) });
    expect(engine.snapshot().round).toBe(0);
    const actions = engine.apply({ type: "vote", vote: precommit(net, others[1] as number, H, 3, null) });
    expect(engine.snapshot().round).toBe(3);
    expect(summarize(actions)).toContain("timeout rebroadcast r3 2500ms");
  });

  it("reports equivocation with both signed votes, and counts it once", () => {
    const engine = engineFor(net, ME);
    engine.apply(start);
    const first = prevote(net, P0, H, 0, A);
    const second = prevote(net, P0, H, 0, B);
    expect(engine.apply({ type: "vote", vote: first })).toEqual([]);
    const actions = engine.apply({ type: "vote", vote: second });
    expect(summarize(actions)).toEqual(["evidence duplicate_vote"]);
    const evidence = actions[0]?.type === "evidence" ? actions[0].evidence : null;
    expect(evidence && verifyEvidence(CHAIN_ID, net.set, evidence)).toBe(true);
    expect(engine.apply({ type: "vote", vote: second })).toEqual([]);
  });

  it("reports a proposer that signs two proposals", () => {
    const engine = engineFor(net, ME);
    engine.apply(start);
    engine.apply({ type: "proposal", proposal: proposal(net, H, 0, A) });
    const actions = engine.apply({ type: "proposal", proposal: proposal(net, H, 0, B) });
    expect(summarize(actions)).toEqual(["evidence duplicate_proposal"]);
  });

  it("drops bad signatures, strangers, wrong proposers, old heights and repeats", () => {
    const engine = engineFor(net, ME);
    engine.apply(start);
    const stranger = network(5);
    const forged = { ...prevote(net, P0, H, 0, A), blockHash: B };
    const notProposer = proposal(network(4), H, 0, A);
    const inputs: EngineEvent[] = [
      { type: "vote", vote: forged },
      { type: "vote", vote: prevote(stranger, 4, H, 0, A) },
      { type: "proposal", proposal: { ...notProposer, proposer: net.keys[(P0 + 1) % 4] as Uint8Array } },
      { type: "vote", vote: prevote(net, P0, 0, 0, A) },
      { type: "vote", vote: prevote(net, P0, H, 0, A) },
      { type: "vote", vote: prevote(net, P0, H, 0, A) },
    ];
    for (const input of inputs) expect(engine.apply(input)).toEqual([]);
    expect(engine.snapshot().storedMessages).toBe(1);
  });

  it("keeps memory bounded under a flood of future rounds and heights", () => {
    const engine = engineFor(net, ME);
    engine.apply(start);
    const stranger = network(5);
    // One validator (at most f of the power) and one stranger send thousands of valid-looking messages.
    for (let r = 0; r < 120; r++) {
      for (const b of [A, B]) {
        engine.apply({ type: "vote", vote: prevote(net, P0, H + 1 + (r % 5), r % 20, b) });
        engine.apply({ type: "vote", vote: precommit(net, P0, H, 10 + r, b) });
      }
      engine.apply({ type: "vote", vote: prevote(stranger, 4, H + 1, r, A) });
      engine.apply({ type: "vote", vote: prevote(stranger, 4, H, r, A) });
    }
    const s = engine.snapshot();
    // Rounds beyond the window are not stored and cannot move us (line 55 needs more than 1/3 of the
    // power); the next heights keep one message per (height, round, step) of a known sender.
    expect(s).toMatchObject({ round: 0, storedMessages: 0 });
    expect(s.bufferedMessages).toBeLessThanOrEqual(FUTURE_HEIGHTS * (FUTURE_ROUNDS + 1));
  });

  it("replays messages that arrived before the height started", () => {
    const engine = engineFor(net, ME);
    engine.apply(start);
    const h2 = H + 1;
    const p = proposal(net, h2, 0, B);
    const early: EngineEvent[] = [
      { type: "proposal", proposal: p },
      ...others.map((i) => ({ type: "vote", vote: prevote(net, i, h2, 0, B) }) as EngineEvent),
    ];
    for (const e of early) expect(engine.apply(e)).toEqual([]);
    const actions = engine.apply({ type: "start_height", height: h2, validators: net.set });
    expect(summarize(actions)).toContain("validate h2 r0");
    const after = engine.apply({ type: "block_validated", height: h2, round: 0, blockHash: B, valid: true });
    expect(summarize(after)).toEqual(["persist vote", "prevote r0 block", "persist vote", "precommit r0 block"]);
  });

  it("asks the host to sync when more than 1/3 of the power is two heights ahead", () => {
    const engine = engineFor(net, ME);
    engine.apply(start);
    expect(engine.apply({ type: "vote", vote: prevote(net, others[0] as number, 7, 0, A) })).toEqual([]);
    const actions = engine.apply({ type: "vote", vote: prevote(net, others[1] as number, 7, 0, A) });
    expect(summarize(actions)).toEqual(["sync 7"]);
  });

  it("after a restart re-sends what it signed instead of signing anew", () => {
    const records: WalRecord[] = [];
    const before = engineFor(net, ME);
    for (const a of before.apply(start)) if (a.type === "persist") records.push(a.record);
    before.apply({ type: "proposal", proposal: proposal(net, H, 0, A) });
    const voted = before.apply({ type: "block_validated", height: H, round: 0, blockHash: A, valid: true });
    for (const a of voted) if (a.type === "persist") records.push(a.record);
    expect(records).toHaveLength(1);

    const after = engineFor(net, ME, records);
    after.apply(start);
    // The propose timeout would make a fresh engine prevote nil; the restored one re-sends its prevote for A.
    const actions = after.apply({ type: "timeout", height: H, round: 0, step: TimeoutStep.PROPOSE });
    expect(summarize(actions)).toEqual(["prevote r0 block"]);
    const sent = actions[0]?.type === "broadcast_vote" ? actions[0].vote : null;
    expect(sent && equalBytes(sent.signature, (records[0] as { vote: { signature: Uint8Array } }).vote.signature)).toBe(
      true,
    );
  });

  it("restores its lock from its last precommit", () => {
    const records: WalRecord[] = [];
    const before = engineFor(net, ME);
    const keep = (as: EngineAction[]) => {
      for (const a of as) if (a.type === "persist") records.push(a.record);
    };
    keep(before.apply(start));
    keep(before.apply({ type: "proposal", proposal: proposal(net, H, 0, A) }));
    keep(before.apply({ type: "block_validated", height: H, round: 0, blockHash: A, valid: true }));
    for (const i of others) keep(before.apply({ type: "vote", vote: prevote(net, i, H, 0, A) }));
    const after = engineFor(net, ME, records);
    after.apply(start);
    expect(after.snapshot()).toMatchObject({ lockedRound: 0, round: 0 });
  });

  it("an observer follows along without signing", () => {
    const engine = engineFor(net, null);
    engine.apply(start);
    engine.apply({ type: "proposal", proposal: proposal(net, H, 0, A) });
    const validated = engine.apply({ type: "block_validated", height: H, round: 0, blockHash: A, valid: true });
    expect(validated.filter((a) => a.type === "persist" || a.type.startsWith("broadcast"))).toEqual([]);
    for (const i of [0, 1, 2]) engine.apply({ type: "vote", vote: prevote(net, i, H, 0, A) });
    const out = [0, 1, 2].flatMap((i) => engine.apply({ type: "vote", vote: precommit(net, i, H, 0, A) }));
    expect(summarize(out)).toContain("commit h1 r0");
  });
});

describe("engine: a single-validator chain", () => {
  it("builds, proposes, votes and commits a height on its own, persisting before each send", () => {
    const solo = network(1);
    const engine = engineFor(solo, 0);
    const started = engine.apply({ type: "start_height", height: 1, validators: solo.set });
    expect(summarize(started)).toEqual(["build h1 r0", "timeout propose r0 1000ms", "timeout rebroadcast r0 1000ms"]);
    const actions = engine.apply({ type: "proposal_value", height: 1, round: 0, blockHash: A });
    expect(summarize(actions)).toEqual([
      "persist proposal",
      "proposal r0 pol=null",
      "persist vote",
      "prevote r0 block",
      "persist vote",
      "precommit r0 block",
      "commit h1 r0",
    ]);
    expect(() => engine.apply({ type: "start_height", height: 0, validators: solo.set })).toThrow(
      /cannot start height 0/,
    );
  });
});
