import { describe, expect, it } from "vitest";
import {
  applyInput,
  initialRoundState,
  type RoundInput,
  type RoundOutput,
  type RoundState,
  Step,
} from "../../src/index.js";

interface Row {
  desc: string;
  input: RoundInput;
  expectedOutputs: RoundOutput[];
  expectedState: Partial<RoundState>;
}

function runTable(rows: Row[], state: RoundState = initialRoundState(1)): RoundState {
  let s = state;
  for (const row of rows) {
    const { state: next, outputs } = applyInput(s, row.input);
    expect(outputs, row.desc).toEqual(row.expectedOutputs);
    expect(next, row.desc).toMatchObject(row.expectedState);
    s = next;
  }
  return s;
}

// Each row is one rule of Algorithm 1 in Buchman, Kwon, Milosevic (2018); the line numbers are the paper's.
describe("round state machine", () => {
  it("decides in round 0 as a non-proposer", () => {
    runTable([
      {
        desc: "line 21: StartRound(0) schedules timeoutPropose",
        input: { kind: "start_round", round: 0, isProposer: false },
        expectedOutputs: [{ kind: "schedule_timeout", round: 0, step: "propose" }],
        expectedState: { round: 0, step: Step.PROPOSE },
      },
      {
        desc: "line 24: valid proposal, not locked: prevote it",
        input: { kind: "proposal", value: "aa", valid: true },
        expectedOutputs: [{ kind: "prevote", round: 0, value: "aa" }],
        expectedState: { step: Step.PREVOTE },
      },
      {
        desc: "line 35: polka any schedules timeoutPrevote once",
        input: { kind: "polka_any" },
        expectedOutputs: [{ kind: "schedule_timeout", round: 0, step: "prevote" }],
        expectedState: { prevoteTimeoutScheduled: true },
      },
      {
        desc: "line 34 fires only the first time",
        input: { kind: "polka_any" },
        expectedOutputs: [],
        expectedState: {},
      },
      {
        desc: "lines 36-43: polka for the proposal: lock, precommit, valid value",
        input: { kind: "proposal_and_polka_current", value: "aa" },
        expectedOutputs: [{ kind: "precommit", round: 0, value: "aa" }],
        expectedState: { step: Step.PRECOMMIT, lockedValue: "aa", lockedRound: 0, validValue: "aa", validRound: 0 },
      },
      {
        desc: "line 48: precommit any schedules timeoutPrecommit",
        input: { kind: "precommit_any" },
        expectedOutputs: [{ kind: "schedule_timeout", round: 0, step: "precommit" }],
        expectedState: { precommitTimeoutScheduled: true },
      },
      {
        desc: "line 51: decide",
        input: { kind: "proposal_and_precommit_value", round: 0, value: "aa" },
        expectedOutputs: [{ kind: "decide", round: 0, value: "aa" }],
        expectedState: { step: Step.COMMIT, decision: { round: 0, value: "aa" } },
      },
      {
        desc: "decided: timeouts no longer matter",
        input: { kind: "timeout_precommit", round: 0, nextIsProposer: false },
        expectedOutputs: [],
        expectedState: { step: Step.COMMIT },
      },
    ]);
  });

  it("proposes: a fresh value when nothing is valid, the valid value with its round otherwise", () => {
    const locked = runTable([
      {
        desc: "line 18: proposer without a valid value asks for one",
        input: { kind: "start_round", round: 0, isProposer: true },
        expectedOutputs: [
          { kind: "get_value", round: 0 },
          { kind: "schedule_timeout", round: 0, step: "propose" },
        ],
        expectedState: { round: 0 },
      },
      {
        desc: "line 19: the value arrives and is proposed with validRound -1",
        input: { kind: "propose_value", round: 0, value: "bb" },
        expectedOutputs: [{ kind: "propose", round: 0, value: "bb", validRound: -1 }],
        expectedState: { step: Step.PROPOSE },
      },
      {
        desc: "line 24",
        input: { kind: "proposal", value: "bb", valid: true },
        expectedOutputs: [{ kind: "prevote", round: 0, value: "bb" }],
        expectedState: {},
      },
      {
        desc: "line 40",
        input: { kind: "proposal_and_polka_current", value: "bb" },
        expectedOutputs: [{ kind: "precommit", round: 0, value: "bb" }],
        expectedState: { lockedRound: 0 },
      },
      {
        desc: "line 67: timeoutPrecommit starts round 1, where we propose again",
        input: { kind: "timeout_precommit", round: 0, nextIsProposer: true },
        expectedOutputs: [
          { kind: "propose", round: 1, value: "bb", validRound: 0 },
          { kind: "schedule_timeout", round: 1, step: "propose" },
        ],
        expectedState: { round: 1, step: Step.PROPOSE, prevoteTimeoutScheduled: false, polkaValueSeen: false },
      },
    ]);
    runTable(
      [
        {
          desc: "line 26: a fresh proposal for another value while locked: prevote nil",
          input: { kind: "proposal", value: "cc", valid: true },
          expectedOutputs: [{ kind: "prevote", round: 1, value: null }],
          expectedState: { step: Step.PREVOTE },
        },
        {
          desc: "line 45: polka nil: precommit nil, keeping the lock",
          input: { kind: "polka_nil" },
          expectedOutputs: [{ kind: "precommit", round: 1, value: null }],
          expectedState: { step: Step.PRECOMMIT, lockedValue: "bb" },
        },
      ],
      locked,
    );
  });

  it("unlocks only on a proof of lock from a later round (lines 28-33)", () => {
    const locked: RoundState = {
      ...initialRoundState(1),
      round: 3,
      step: Step.PROPOSE,
      lockedValue: "aa",
      lockedRound: 2,
    };
    const cases: [RoundInput, string | null][] = [
      [{ kind: "proposal_and_polka_previous", value: "bb", validRound: 1, valid: true }, null],
      [{ kind: "proposal_and_polka_previous", value: "bb", validRound: 2, valid: true }, "bb"],
      [{ kind: "proposal_and_polka_previous", value: "aa", validRound: 0, valid: true }, "aa"],
      [{ kind: "proposal_and_polka_previous", value: "bb", validRound: 2, valid: false }, null],
    ];
    for (const [input, value] of cases) {
      expect(applyInput(locked, input).outputs).toEqual([{ kind: "prevote", round: 3, value }]);
    }
    const ignored = applyInput(locked, {
      kind: "proposal_and_polka_previous",
      value: "bb",
      validRound: 3,
      valid: true,
    });
    expect(ignored.outputs).toEqual([]);
  });

  it("timeouts act only in their own round and step (lines 57-67)", () => {
    const s: RoundState = { ...initialRoundState(1), round: 2, step: Step.PREVOTE };
    expect(applyInput(s, { kind: "timeout_propose", round: 2 }).outputs).toEqual([]);
    expect(applyInput(s, { kind: "timeout_prevote", round: 1 }).outputs).toEqual([]);
    expect(applyInput(s, { kind: "timeout_prevote", round: 2 }).outputs).toEqual([
      { kind: "precommit", round: 2, value: null },
    ]);
    expect(applyInput(s, { kind: "timeout_precommit", round: 2, nextIsProposer: false }).state.round).toBe(3);
    expect(applyInput(s, { kind: "start_round", round: 1, isProposer: false }).state).toBe(s);
  });

  it("is pure: the input state is never modified", () => {
    const s = initialRoundState(5);
    const copy = { ...s };
    applyInput(s, { kind: "start_round", round: 0, isProposer: true });
    expect(s).toEqual(copy);
  });
});
