import { Step } from "../types.js";

/**
 * The per-height variables of Algorithm 1 (h_p, round_p, step_p, lockedValue_p, lockedRound_p,
 * validValue_p, validRound_p, decision_p) plus the "for the first time" flags of lines 34, 36 and 47.
 * Values are block hashes as lowercase hex, so they compare with ===. Immutable: every transition
 * returns a new object.
 */
export interface RoundState {
  readonly height: number;
  readonly round: number;
  readonly step: Step;
  readonly lockedValue: string | null;
  readonly lockedRound: number;
  readonly validValue: string | null;
  readonly validRound: number;
  readonly decision: { readonly round: number; readonly value: string } | null;
  /** Line 34 fired in this round (timeoutPrevote scheduled). */
  readonly prevoteTimeoutScheduled: boolean;
  /** Line 47 fired in this round (timeoutPrecommit scheduled). */
  readonly precommitTimeoutScheduled: boolean;
  /** Line 36 fired in this round. */
  readonly polkaValueSeen: boolean;
}

export function initialRoundState(height: number): RoundState {
  return {
    height,
    round: -1, // not started: the first START_ROUND (line 10) enters round 0 or a restored round
    step: Step.PROPOSE,
    lockedValue: null,
    lockedRound: -1,
    validValue: null,
    validRound: -1,
    decision: null,
    prevoteTimeoutScheduled: false,
    precommitTimeoutScheduled: false,
    polkaValueSeen: false,
  };
}
