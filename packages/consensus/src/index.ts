// @hansa/consensus: a deterministic Tendermint-style BFT engine (Buchman, Kwon, Milosevic 2018, Algorithm 1).

export type { EngineSnapshot } from "./driver/engine.js";
export { ConsensusEngine, createEngine } from "./driver/engine.js";
export { FUTURE_HEIGHTS, FUTURE_ROUNDS, MAX_BUFFERED } from "./driver/limits.js";
export type { ConsensusErrorType } from "./errors.js";
export { ConsensusError } from "./errors.js";
export type { Evidence } from "./evidence.js";
export { verifyEvidence } from "./evidence.js";
export { proposerFor } from "./proposer.js";
export type { MachineRules, RoundInput, RoundOutput, Transition } from "./state-machine/machine.js";
export { applyInput, InputKind } from "./state-machine/machine.js";
export type { RoundState } from "./state-machine/state.js";
export { initialRoundState } from "./state-machine/state.js";
export { timeoutDuration } from "./timeouts.js";
export type {
  BlockHash,
  EngineAction,
  EngineEvent,
  EngineOptions,
  Signer,
  VerifySignature,
} from "./types.js";
export { ActionType, EventType, FaultInjection, Step, TimeoutStep } from "./types.js";
export type { AddVoteResult, Threshold } from "./votes/keeper.js";
export { ThresholdKind, VoteKeeper } from "./votes/keeper.js";
export { NIL, valueKey } from "./votes/value.js";
export type { WalRecord } from "./wal/record.js";
export { decodeWalRecord, encodeWalRecord } from "./wal/record.js";
