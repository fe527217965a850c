import { Step, TimeoutStep } from "../types.js";
import type { RoundState } from "./state.js";

/**
 * Inputs of the per-round state machine. The driver raises one only when its whole "upon" condition of
 * Algorithm 1 holds (the messages are in the vote keeper, the proposal is from the right proposer, the
 * application has judged the block), so each transition below is the body of one rule.
 */
export const InputKind = {
  START_ROUND: "start_round",
  PROPOSE_VALUE: "propose_value",
  PROPOSAL: "proposal",
  PROPOSAL_AND_POLKA_PREVIOUS: "proposal_and_polka_previous",
  POLKA_ANY: "polka_any",
  PROPOSAL_AND_POLKA_CURRENT: "proposal_and_polka_current",
  POLKA_NIL: "polka_nil",
  PRECOMMIT_ANY: "precommit_any",
  PROPOSAL_AND_PRECOMMIT_VALUE: "proposal_and_precommit_value",
  TIMEOUT_PROPOSE: "timeout_propose",
  TIMEOUT_PREVOTE: "timeout_prevote",
  TIMEOUT_PRECOMMIT: "timeout_precommit",
} as const;

export type RoundInput =
  | { kind: "start_round"; round: number; isProposer: boolean }
  | { kind: "propose_value"; round: number; value: string }
  | { kind: "proposal"; value: string; valid: boolean }
  | { kind: "proposal_and_polka_previous"; value: string; validRound: number; valid: boolean }
  | { kind: "polka_any" }
  | { kind: "proposal_and_polka_current"; value: string }
  | { kind: "polka_nil" }
  | { kind: "precommit_any" }
  | { kind: "proposal_and_precommit_value"; round: number; value: string }
  | { kind: "timeout_propose"; round: number }
  | { kind: "timeout_prevote"; round: number }
  | { kind: "timeout_precommit"; round: number; nextIsProposer: boolean };

export type RoundOutput =
  | { kind: "get_value"; round: number }
  | { kind: "propose"; round: number; value: string; validRound: number }
  | { kind: "prevote"; round: number; value: string | null }
  | { kind: "precommit"; round: number; value: string | null }
  | { kind: "schedule_timeout"; round: number; step: TimeoutStep }
  | { kind: "decide"; round: number; value: string };

export interface Transition {
  state: RoundState;
  outputs: RoundOutput[];
}

export interface MachineRules {
  /** False only in the deliberately unsafe variant used to test the simulation. */
  locking: boolean;
}

const SAFE: MachineRules = { locking: true };

function unchanged(state: RoundState): Transition {
  return { state, outputs: [] };
}

/**
 * One step of Algorithm 1 of Buchman, Kwon, Milosevic, "The latest gossip on BFT consensus" (2018).
 * Pure: the same state and input always give the same transition. Inputs that do not apply in the current
 * step (a late timeout, a repeated threshold) leave the state unchanged and produce nothing.
 */
export function applyInput(state: RoundState, input: RoundInput, rules: MachineRules = SAFE): Transition {
  if (state.step === Step.COMMIT) return unchanged(state); // decided: only a new height moves us on
  const { step, round } = state;
  switch (input.kind) {
    // Line 10 / line 55: StartRound(round) for the first round of the height or a skip to a higher round.
    case InputKind.START_ROUND: {
      if (input.round <= round) return unchanged(state);
      return startRound(state, input.round, input.isProposer, rules);
    }

    // Line 19 after line 18: broadcast the fresh proposal (validRound is -1 here).
    case InputKind.PROPOSE_VALUE: {
      if (step !== Step.PROPOSE || input.round !== round) return unchanged(state);
      return { state, outputs: [{ kind: "propose", round, value: input.value, validRound: -1 }] };
    }

    // Lines 22-27: a fresh proposal (validRound -1) in step propose.
    case InputKind.PROPOSAL: {
      if (step !== Step.PROPOSE) return unchanged(state);
      const ok = input.valid && (!rules.locking || state.lockedRound === -1 || state.lockedValue === input.value);
      return {
        state: { ...state, step: Step.PREVOTE },
        outputs: [{ kind: "prevote", round, value: ok ? input.value : null }],
      };
    }

    // Lines 28-33: a re-proposal with a polka from an earlier round vr.
    case InputKind.PROPOSAL_AND_POLKA_PREVIOUS: {
      if (step !== Step.PROPOSE || input.validRound < 0 || input.validRound >= round) return unchanged(state);
      const ok =
        input.valid && (!rules.locking || state.lockedRound <= input.validRound || state.lockedValue === input.value);
      return {
        state: { ...state, step: Step.PREVOTE },
        outputs: [{ kind: "prevote", round, value: ok ? input.value : null }],
      };
    }

    // Lines 34-35: 2f+1 prevotes of any kind, first time in step prevote.
    case InputKind.POLKA_ANY: {
      if (step !== Step.PREVOTE || state.prevoteTimeoutScheduled) return unchanged(state);
      return {
        state: { ...state, prevoteTimeoutScheduled: true },
        outputs: [{ kind: "schedule_timeout", round, step: TimeoutStep.PREVOTE }],
      };
    }

    // Lines 36-43: proposal plus 2f+1 prevotes for it in this round, valid, step >= prevote, first time.
    case InputKind.PROPOSAL_AND_POLKA_CURRENT: {
      if (step === Step.PROPOSE || state.polkaValueSeen) return unchanged(state);
      const valid = { validValue: input.value, validRound: round, polkaValueSeen: true };
      if (step === Step.PREVOTE) {
        // Lines 37-41: lock and precommit.
        return {
          state: { ...state, ...valid, lockedValue: input.value, lockedRound: round, step: Step.PRECOMMIT },
          outputs: [{ kind: "precommit", round, value: input.value }],
        };
      }
      // Lines 42-43: already precommitted; only remember the valid value.
      return { state: { ...state, ...valid }, outputs: [] };
    }

    // Lines 44-46: 2f+1 prevotes for nil.
    case InputKind.POLKA_NIL: {
      if (step !== Step.PREVOTE) return unchanged(state);
      return { state: { ...state, step: Step.PRECOMMIT }, outputs: [{ kind: "precommit", round, value: null }] };
    }

    // Lines 47-48: 2f+1 precommits of any kind, first time in this round.
    case InputKind.PRECOMMIT_ANY: {
      if (state.precommitTimeoutScheduled) return unchanged(state);
      return {
        state: { ...state, precommitTimeoutScheduled: true },
        outputs: [{ kind: "schedule_timeout", round, step: TimeoutStep.PRECOMMIT }],
      };
    }

    // Lines 49-54: proposal plus 2f+1 precommits for it in any round r, and valid: decide. The next height
    // (lines 52-54) starts when the host sends start_height.
    case InputKind.PROPOSAL_AND_PRECOMMIT_VALUE: {
      return {
        state: { ...state, step: Step.COMMIT, decision: { round: input.round, value: input.value } },
        outputs: [{ kind: "decide", round: input.round, value: input.value }],
      };
    }

    // Lines 57-60: OnTimeoutPropose.
    case InputKind.TIMEOUT_PROPOSE: {
      if (input.round !== round || step !== Step.PROPOSE) return unchanged(state);
      return { state: { ...state, step: Step.PREVOTE }, outputs: [{ kind: "prevote", round, value: null }] };
    }

    // Lines 61-64: OnTimeoutPrevote.
    case InputKind.TIMEOUT_PREVOTE: {
      if (input.round !== round || step !== Step.PREVOTE) return unchanged(state);
      return { state: { ...state, step: Step.PRECOMMIT }, outputs: [{ kind: "precommit", round, value: null }] };
    }

    // Lines 65-67: OnTimeoutPrecommit starts the next round, whatever the step.
    case InputKind.TIMEOUT_PRECOMMIT: {
      if (input.round !== round) return unchanged(state);
      return startRound(state, round + 1, input.nextIsProposer, rules);
    }
  }
}

/** Lines 11-21, StartRound(round). */
function startRound(state: RoundState, round: number, isProposer: boolean, rules: MachineRules): Transition {
  const next: RoundState = {
    ...state,
    round,
    step: Step.PROPOSE,
    prevoteTimeoutScheduled: false,
    precommitTimeoutScheduled: false,
    polkaValueSeen: false,
  };
  const timeout: RoundOutput = { kind: "schedule_timeout", round, step: TimeoutStep.PROPOSE };
  // Line 21: wait for the proposal at most timeoutPropose.
  if (!isProposer) return { state: next, outputs: [timeout] };
  // Lines 15-16 and 19: re-propose the valid value with its proof-of-lock round. Unlike line 14, the
  // proposer runs timeoutPropose too: if it cannot apply line 28 to its own proposal (after a restart it no
  // longer holds the polka it proposes from) the timeout still moves it on.
  if (next.validValue !== null && rules.locking) {
    return {
      state: next,
      outputs: [{ kind: "propose", round, value: next.validValue, validRound: next.validRound }, timeout],
    };
  }
  // Line 18: getValue() is asynchronous here; the reply arrives as PROPOSE_VALUE. The propose timeout runs
  // meanwhile, so a host that never answers cannot stall the round.
  return { state: next, outputs: [{ kind: "get_value", round }, timeout] };
}
