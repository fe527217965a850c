import type { ConsensusParams } from "@hansa/core";
import { TimeoutStep } from "./types.js";

/**
 * How long to wait in `step` of `round`: the base grows by `timeoutDeltaMs` per round, so after the network
 * heals some round is long enough for everyone, but never past `timeoutCapMs`, so recovery takes bounded time.
 */
export function timeoutDuration(params: ConsensusParams, step: TimeoutStep, round: number): number {
  const base =
    step === TimeoutStep.PREVOTE
      ? params.timeoutPrevoteMs
      : step === TimeoutStep.PRECOMMIT
        ? params.timeoutPrecommitMs
        : params.timeoutProposeMs;
  return Math.min(base + params.timeoutDeltaMs * round, params.timeoutCapMs);
}
