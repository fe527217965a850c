import type { CommitCertificate, ConsensusParams, Proposal, ValidatorSet, Vote } from "@hansa/core";
import type { Evidence } from "./evidence.js";
import type { WalRecord } from "./wal/record.js";

/** Where a round stands. `commit` means the height is decided and the engine waits for the next height. */
export const Step = {
  PROPOSE: "propose",
  PREVOTE: "prevote",
  PRECOMMIT: "precommit",
  COMMIT: "commit",
} as const;
export type Step = (typeof Step)[keyof typeof Step];

/**
 * The timeouts the engine asks the host to run. The first three are the paper's; `rebroadcast` is ours: it
 * re-sends the engine's recent messages so a network that lost messages recovers without help.
 */
export const TimeoutStep = {
  PROPOSE: "propose",
  PREVOTE: "prevote",
  PRECOMMIT: "precommit",
  REBROADCAST: "rebroadcast",
} as const;
export type TimeoutStep = (typeof TimeoutStep)[keyof typeof TimeoutStep];

/** A block identity as the engine sees it: the 32-byte block hash; bodies are the host's business. */
export type BlockHash = Uint8Array;

/** Signs with the validator's key. Pure computation, so the engine may call it inline. */
export interface Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export type VerifySignature = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

/**
 * Deliberately broken variants, only for the simulation's self-test that proves its checks can fail.
 * A node never sets this.
 */
export const FaultInjection = {
  /** Ignore locks: prevote any valid proposal and never re-propose the valid value. */
  NO_LOCKING: "no-locking",
} as const;
export type FaultInjection = (typeof FaultInjection)[keyof typeof FaultInjection];

export interface EngineOptions {
  chainId: string;
  params: ConsensusParams;
  /** Absent for a non-voting observer. */
  signer?: Signer;
  /** Defaults to core's `verify` (Ed25519); a host may pass a caching one, the simulation a cheap one. */
  verifySignature?: VerifySignature;
  faultInjection?: FaultInjection;
}

export const EventType = {
  START_HEIGHT: "start_height",
  PROPOSAL: "proposal",
  VOTE: "vote",
  TIMEOUT: "timeout",
  PROPOSAL_VALUE: "proposal_value",
  BLOCK_VALIDATED: "block_validated",
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export type EngineEvent =
  /** Begin `height` with its validator set; sent after the previous height is committed (or synced). */
  | {
      type: "start_height";
      height: number;
      validators: ValidatorSet;
      /**
       * The commit of height - 1 and its validator set, from the host's block store. Optional; with it a
       * restarted validator can still hand the previous commit to validators that missed it.
       */
      previous?: { certificate: CommitCertificate; validators: ValidatorSet };
    }
  | { type: "proposal"; proposal: Proposal }
  | { type: "vote"; vote: Vote }
  | { type: "timeout"; height: number; round: number; step: TimeoutStep }
  /** Reply to `build_block`: the block the host built for this height and round. */
  | { type: "proposal_value"; height: number; round: number; blockHash: BlockHash }
  /** Reply to `validate_block`, sent once the host has the body and has checked it. */
  | { type: "block_validated"; height: number; round: number; blockHash: BlockHash; valid: boolean };

export const ActionType = {
  PERSIST: "persist",
  BROADCAST_PROPOSAL: "broadcast_proposal",
  BROADCAST_VOTE: "broadcast_vote",
  SCHEDULE_TIMEOUT: "schedule_timeout",
  BUILD_BLOCK: "build_block",
  VALIDATE_BLOCK: "validate_block",
  COMMIT: "commit",
  EVIDENCE: "evidence",
  REQUEST_SYNC: "request_sync",
} as const;
export type ActionType = (typeof ActionType)[keyof typeof ActionType];

/**
 * What the host must do, in order. Ordering rule: a `persist` action must be durably written (synced)
 * before the host executes any later action of the same batch; every signed message is preceded by its
 * `persist` in the batch that first sends it.
 */
export type EngineAction =
  | { type: "persist"; record: WalRecord }
  | { type: "broadcast_proposal"; proposal: Proposal }
  | { type: "broadcast_vote"; vote: Vote }
  | { type: "schedule_timeout"; height: number; round: number; step: TimeoutStep; durationMs: number }
  | { type: "build_block"; height: number; round: number }
  | { type: "validate_block"; height: number; round: number; blockHash: BlockHash }
  | { type: "commit"; height: number; round: number; blockHash: BlockHash; certificate: CommitCertificate }
  | { type: "evidence"; evidence: Evidence }
  /** More than 1/3 of the power is at `height` or above: blocks below it are committed; fetch them. */
  | { type: "request_sync"; height: number };
