import {
  bytesToHex,
  type CommitCertificate,
  commitFromPrecommits,
  equalBytes,
  hexToBytes,
  type Proposal,
  proposalSigningBytes,
  type ValidatorSet,
  type Vote,
  VoteType,
  verify,
  voteSigningBytes,
} from "@hansa/core";
import { ConsensusError } from "../errors.js";
import type { Evidence } from "../evidence.js";
import { proposerFor } from "../proposer.js";
import { applyInput, type MachineRules, type RoundInput, type RoundOutput } from "../state-machine/machine.js";
import { initialRoundState, type RoundState } from "../state-machine/state.js";
import { timeoutDuration } from "../timeouts.js";
import {
  type EngineAction,
  type EngineEvent,
  type EngineOptions,
  FaultInjection,
  type Signer,
  Step,
  TimeoutStep,
  type VerifySignature,
} from "../types.js";
import { VoteKeeper } from "../votes/keeper.js";
import { NIL, valueKey } from "../votes/value.js";
import type { WalRecord } from "../wal/record.js";
import { FutureBuffer, type Message } from "./buffer.js";
import { FUTURE_HEIGHTS, FUTURE_ROUNDS } from "./limits.js";

/** A read-only view of where the engine stands, for hosts, logs and tests. */
export interface EngineSnapshot {
  height: number;
  round: number;
  step: Step;
  lockedRound: number;
  lockedValue: string | null;
  validRound: number;
  validValue: string | null;
  decision: { round: number; value: string } | null;
  /** Votes and proposals stored for the current height. */
  storedMessages: number;
  /** Messages held for heights not started yet. */
  bufferedMessages: number;
}

interface LastCommit {
  height: number;
  validators: ValidatorSet;
  proposal: Proposal | null;
  precommits: Vote[];
}

type Own = Vote | Proposal;

const ownKey = (height: number, round: number, step: "p" | VoteType) => `${height}/${round}/${step}`;

/**
 * The driver: checks each network message (height, membership, signature, duplicates), feeds it to the vote
 * keeper, then raises every rule of Algorithm 1 whose condition now holds as an input of the round state
 * machine, and turns the machine's outputs into actions for the host. Deterministic: its actions depend only
 * on the options, the restored records and the sequence of events; it holds no clock, timer or randomness
 * and does no I/O. It owns its state: `apply(event)` is the transition `(state, event) -> (state, actions)`.
 */
export class ConsensusEngine {
  private readonly chainId: string;
  private readonly params: EngineOptions["params"];
  private readonly signer: Signer | undefined;
  private readonly verifySignature: VerifySignature;
  private readonly rules: MachineRules;

  private validators: ValidatorSet | null = null;
  private rs: RoundState = initialRoundState(0);
  private keeper: VoteKeeper | null = null;
  /** Application verdicts on block hashes (hex) of this height. */
  private validity = new Map<string, boolean>();
  private validationRequested = new Set<string>();
  private buildRequested = -1;
  /** Messages this validator signed, from the WAL or this run, keyed by height/round/step. */
  private readonly own = new Map<string, Own>();
  private readonly buffer = new FutureBuffer();
  /** Highest height each member of the current set has shown in a verified message. */
  private heightSeen = new Map<string, number>();
  private syncHinted = 0;
  private evidenceSeen = new Set<string>();
  private lastCommit: LastCommit | null = null;
  /** Someone sent a message of an earlier round / the previous height since the last rebroadcast. */
  private behindSeen = false;
  private laggardSeen = false;
  private out: EngineAction[] = [];

  constructor(options: EngineOptions, records: readonly WalRecord[] = []) {
    if (options.params.timeoutCapMs <= 0) {
      throw new ConsensusError(
        { code: "CONSENSUS_BAD_OPTIONS", field: "params.timeoutCapMs" },
        "timeoutCapMs must be positive",
      );
    }
    this.chainId = options.chainId;
    this.params = options.params;
    this.signer = options.signer;
    this.verifySignature = options.verifySignature ?? verify;
    this.rules = { locking: options.faultInjection !== FaultInjection.NO_LOCKING };
    for (const record of records) this.remember(record);
  }

  /** Applies one event and returns the actions the host must run, in order (see EngineAction). */
  apply(event: EngineEvent): EngineAction[] {
    this.out = [];
    switch (event.type) {
      case "start_height":
        this.startHeight(event.height, event.validators, event.previous);
        break;
      case "proposal":
        this.onMessage({ kind: "proposal", proposal: event.proposal }, false);
        break;
      case "vote":
        this.onMessage({ kind: "vote", vote: event.vote }, false);
        break;
      case "timeout":
        this.onTimeout(event.height, event.round, event.step);
        break;
      case "proposal_value":
        if (event.height === this.rs.height && this.validators) {
          const value = valueKey(event.blockHash);
          this.validity.set(value, true); // our own application built it
          this.feed({ kind: "propose_value", round: event.round, value });
        }
        break;
      case "block_validated":
        if (event.height === this.rs.height && this.validators) {
          this.validity.set(valueKey(event.blockHash), event.valid);
        }
        break;
    }
    if (this.validators) this.progress();
    const actions = this.out;
    this.out = [];
    return actions;
  }

  snapshot(): EngineSnapshot {
    const s = this.rs;
    return {
      height: s.height,
      round: s.round,
      step: s.step,
      lockedRound: s.lockedRound,
      lockedValue: s.lockedValue,
      validRound: s.validRound,
      validValue: s.validValue,
      decision: s.decision,
      storedMessages: this.keeper?.size() ?? 0,
      bufferedMessages: this.buffer.size,
    };
  }

  // ---- heights ---------------------------------------------------------------------------------------

  private startHeight(
    height: number,
    validators: ValidatorSet,
    previous?: { certificate: CommitCertificate; validators: ValidatorSet },
  ): void {
    if (this.validators && height < this.rs.height) {
      throw new ConsensusError(
        { code: "CONSENSUS_HEIGHT_REGRESSION", height, current: this.rs.height },
        `cannot start height ${height}: already at ${this.rs.height}`,
      );
    }
    if (this.validators && height === this.rs.height) return;
    if (this.lastCommit && this.lastCommit.height !== height - 1) this.lastCommit = null;
    if (!this.lastCommit && previous && previous.certificate.height === height - 1) {
      this.lastCommit = { height: height - 1, validators: previous.validators, proposal: null, precommits: [] };
      this.lastCommit.precommits = precommitsOf(previous.certificate, previous.validators);
    }
    this.validators = validators;
    this.keeper = new VoteKeeper(validators);
    this.validity = new Map();
    this.validationRequested = new Set();
    this.evidenceSeen = new Set();
    this.buildRequested = -1;
    this.behindSeen = false;
    this.laggardSeen = false;
    const seen = new Map<string, number>();
    for (const v of validators.validators) {
      const key = bytesToHex(v.publicKey);
      const h = this.heightSeen.get(key);
      if (h !== undefined && h > height) seen.set(key, h);
    }
    this.heightSeen = seen;
    for (const [key, msg] of this.own) if (msg.height < height) this.own.delete(key);

    // Restart: what we signed at this height comes back into the tallies, our lock is our latest precommit
    // for a block (lines 36-41 lock exactly when precommitting), and we resume at our latest round.
    let state = initialRoundState(height);
    let startRound = 0;
    let lock: Vote | null = null;
    for (const msg of this.own.values()) {
      if (msg.height !== height) continue;
      startRound = Math.max(startRound, msg.round);
      if ("type" in msg) {
        this.keeper.addVote(msg, validators.indexOf(msg.validator), valueKey(msg.blockHash));
        if (msg.type === VoteType.PRECOMMIT && msg.blockHash !== null && (!lock || msg.round > lock.round)) lock = msg;
      } else {
        const value = valueKey(msg.blockHash);
        this.keeper.setProposal(msg.round, msg, value, validators.indexOf(msg.proposer));
        this.validity.set(value, true);
      }
    }
    if (lock?.blockHash) {
      const value = valueKey(lock.blockHash);
      state = { ...state, lockedValue: value, lockedRound: lock.round, validValue: value, validRound: lock.round };
      this.validity.set(value, true);
    }
    this.rs = state;
    this.feed({ kind: "start_round", round: startRound, isProposer: this.isProposer(startRound) });
    this.scheduleRebroadcast();
    for (const entry of this.buffer.take(height)) this.onMessage(entry.message, entry.verified);
  }

  // ---- network messages ------------------------------------------------------------------------------

  private onMessage(message: Message, verified: boolean): void {
    const { height, round } = message.kind === "vote" ? message.vote : message.proposal;
    const sender = message.kind === "vote" ? message.vote.validator : message.proposal.proposer;
    const validators = this.validators;
    if (!validators) {
      // Not started yet: keep a bounded number for the first height.
      this.buffer.add(height, message, false);
      return;
    }
    const current = this.rs.height;
    if (height < current) {
      if (height === current - 1 && this.lastCommit?.validators.has(sender)) this.laggardSeen = true;
      return;
    }
    const index = validators.indexOf(sender);
    if (height > current) {
      // Only members of the current set are heard about the future: that bounds the buffer by the set size.
      if (index < 0) return;
      if (!verified && !this.verifyMessage(message)) return;
      this.noteHeight(sender, height);
      if (height <= current + FUTURE_HEIGHTS && round <= FUTURE_ROUNDS) this.buffer.add(height, message, true);
      return;
    }
    if (index < 0 || this.keeper === null) return;
    const keeper = this.keeper;
    if (round < this.rs.round) this.behindSeen = true;
    if (round > this.rs.round + FUTURE_ROUNDS) {
      // Too far ahead to store; it still counts towards the round skip of line 55.
      if (keeper.highestRoundOf(index) >= round) return;
      if (verified || this.verifyMessage(message)) keeper.noteRound(index, round);
      return;
    }
    if (message.kind === "vote") this.onVote(message.vote, index, verified, keeper);
    else this.onProposal(message.proposal, index, verified, keeper, validators);
  }

  private onVote(vote: Vote, index: number, verified: boolean, keeper: VoteKeeper): void {
    const value = valueKey(vote.blockHash);
    if (keeper.hasVote(vote.round, vote.type, index, value)) return; // a repeat: dropped unchecked
    const existing = keeper.existingVote(vote.round, vote.type, index);
    const evidenceKey = `${vote.round}/${vote.type}/${index}`;
    // A further conflicting vote that cannot count (see VoteKeeper.addVote) and is already reported: drop
    // it before paying for a signature check.
    if (existing && this.evidenceSeen.has(evidenceKey) && value !== keeper.proposalValue(vote.round)) return;
    if (!verified && !this.verifyMessage({ kind: "vote", vote })) return;
    const result = keeper.addVote(vote, index, value);
    if (result.kind === "conflict") {
      this.reportEvidence(evidenceKey, { kind: "duplicate_vote", first: result.existing, second: vote });
    }
  }

  private onProposal(
    proposal: Proposal,
    index: number,
    verified: boolean,
    keeper: VoteKeeper,
    validators: ValidatorSet,
  ): void {
    const { round } = proposal;
    if (!equalBytes(proposerFor(validators, this.rs.height, round).publicKey, proposal.proposer)) return;
    if (proposal.polRound !== null && proposal.polRound >= round) return;
    const existing = keeper.proposal(round);
    if (existing) {
      if (equalBytes(existing.blockHash, proposal.blockHash) && existing.polRound === proposal.polRound) return;
      if (!verified && !this.verifyMessage({ kind: "proposal", proposal })) return;
      this.reportEvidence(`${round}/p`, { kind: "duplicate_proposal", first: existing, second: proposal });
      return;
    }
    if (!verified && !this.verifyMessage({ kind: "proposal", proposal })) return;
    const value = valueKey(proposal.blockHash);
    keeper.setProposal(round, proposal, value, index);
    this.requestValidation(round, value, proposal.blockHash);
  }

  private verifyMessage(message: Message): boolean {
    if (message.kind === "vote") {
      const v = message.vote;
      return this.verifySignature(v.signature, voteSigningBytes(this.chainId, v), v.validator);
    }
    const p = message.proposal;
    return this.verifySignature(p.signature, proposalSigningBytes(this.chainId, p), p.proposer);
  }

  private reportEvidence(key: string, evidence: Evidence): void {
    if (this.evidenceSeen.has(key)) return;
    this.evidenceSeen.add(key);
    this.out.push({ type: "evidence", evidence });
  }

  private requestValidation(round: number, value: string, blockHash: Uint8Array): void {
    if (this.validity.has(value) || this.validationRequested.has(value)) return;
    this.validationRequested.add(value);
    this.out.push({ type: "validate_block", height: this.rs.height, round, blockHash });
  }

  private noteHeight(sender: Uint8Array, height: number): void {
    const key = bytesToHex(sender);
    if ((this.heightSeen.get(key) ?? 0) >= height) return;
    this.heightSeen.set(key, height);
    // Two or more heights behind cannot be fixed by relayed precommits: ask the host to sync now.
    const target = this.syncTarget();
    if (target >= this.rs.height + 2 && target > this.syncHinted) {
      this.syncHinted = target;
      this.out.push({ type: "request_sync", height: target });
    }
  }

  /** The highest height that more than 1/3 of the power has shown, or 0. */
  private syncTarget(): number {
    const validators = this.validators;
    if (!validators) return 0;
    const heights = validators.validators
      .map((v) => ({ h: this.heightSeen.get(bytesToHex(v.publicKey)) ?? 0, power: v.power }))
      .sort((a, b) => b.h - a.h);
    let power = 0;
    for (const { h, power: p } of heights) {
      power += p;
      if (validators.isOneThird(power)) return h;
    }
    return 0;
  }

  // ---- timeouts ---------------------------------------------------------------------------------------

  private onTimeout(height: number, round: number, step: TimeoutStep): void {
    if (!this.validators || height !== this.rs.height) return;
    switch (step) {
      case TimeoutStep.PROPOSE:
        this.feed({ kind: "timeout_propose", round });
        break;
      case TimeoutStep.PREVOTE:
        this.feed({ kind: "timeout_prevote", round });
        break;
      case TimeoutStep.PRECOMMIT:
        this.feed({ kind: "timeout_precommit", round, nextIsProposer: this.isProposer(round + 1) });
        break;
      case TimeoutStep.REBROADCAST:
        if (round === this.rs.round) {
          this.rebroadcast();
          this.scheduleRebroadcast();
        }
        break;
    }
  }

  private scheduleRebroadcast(): void {
    const round = this.rs.round;
    this.out.push({
      type: "schedule_timeout",
      height: this.rs.height,
      round,
      step: TimeoutStep.REBROADCAST,
      durationMs: timeoutDuration(this.params, TimeoutStep.REBROADCAST, round),
    });
  }

  /**
   * Our stand-in for the paper's assumption that every message is eventually delivered: re-send what we
   * signed in this and the previous round, the proof of lock we propose from, and, when someone showed an
   * older round or height, the votes and commit they need to catch up.
   */
  private rebroadcast(): void {
    const keeper = this.keeper;
    if (!keeper) return;
    const { height, round } = this.rs;
    const decision = this.rs.decision;
    if (decision) {
      const proposal = keeper.proposal(decision.round);
      if (proposal) this.out.push({ type: "broadcast_proposal", proposal });
      for (const vote of keeper.votesFor(decision.round, VoteType.PRECOMMIT, decision.value)) this.sendVote(vote);
      return;
    }
    for (const r of round > 0 ? [round - 1, round] : [round]) {
      const proposal = this.own.get(ownKey(height, r, "p")) as Proposal | undefined;
      if (proposal) this.out.push({ type: "broadcast_proposal", proposal });
      for (const type of [VoteType.PREVOTE, VoteType.PRECOMMIT]) {
        const vote = this.own.get(ownKey(height, r, type)) as Vote | undefined;
        if (vote) this.sendVote(vote);
      }
    }
    const mine = this.own.get(ownKey(height, round, "p")) as Proposal | undefined;
    if (mine && mine.polRound !== null) this.relayPolka(mine.polRound, valueKey(mine.blockHash));
    if (this.behindSeen) {
      this.behindSeen = false;
      for (const r of round > 0 ? [round - 1, round] : [round])
        for (const vote of keeper.allVotes(r)) this.sendVote(vote);
    }
    if (this.laggardSeen && this.lastCommit) {
      this.laggardSeen = false;
      if (this.lastCommit.proposal) this.out.push({ type: "broadcast_proposal", proposal: this.lastCommit.proposal });
      for (const vote of this.lastCommit.precommits) this.sendVote(vote);
    }
    // A commit quorum we cannot act on (no proposal, or no verdict on the block): fetch the block instead.
    const undecidable = keeper.decisions.length > 0 ? height + 1 : 0;
    const target = Math.max(this.syncTarget(), undecidable);
    if (target > height) {
      this.syncHinted = Math.max(this.syncHinted, target);
      this.out.push({ type: "request_sync", height: target });
    }
  }

  private relayPolka(round: number, value: string): void {
    for (const vote of this.keeper?.votesFor(round, VoteType.PREVOTE, value) ?? []) this.sendVote(vote);
  }

  private sendVote(vote: Vote): void {
    this.out.push({ type: "broadcast_vote", vote });
  }

  // ---- the rules of Algorithm 1 ----------------------------------------------------------------------

  private isProposer(round: number): boolean {
    if (!this.signer || !this.validators) return false;
    return equalBytes(proposerFor(this.validators, this.rs.height, round).publicKey, this.signer.publicKey);
  }

  /**
   * Raises, one at a time, every rule whose condition holds now, until none does. Each input changes the
   * state (a step advances or a "first time" flag is set), so this ends.
   */
  private progress(): void {
    const keeper = this.keeper;
    if (!keeper) return;
    for (let guard = 0; guard < 64; guard++) {
      const input = this.nextInput(keeper);
      if (!input) return;
      this.feed(input);
    }
  }

  private nextInput(keeper: VoteKeeper): RoundInput | null {
    const s = this.rs;
    if (s.step === Step.COMMIT) return null;
    // Line 49: a proposal and 2f+1 precommits for it in any round, and the block is valid.
    for (const { round, value } of keeper.decisions) {
      if (keeper.proposalValue(round) === value && this.validity.get(value) === true) {
        return { kind: "proposal_and_precommit_value", round, value };
      }
    }
    // Line 55: f+1 power in a higher round.
    const skip = keeper.skipRound();
    if (skip > s.round) return { kind: "start_round", round: skip, isProposer: this.isProposer(skip) };
    const round = s.round;
    const proposal = keeper.proposal(round);
    const value = keeper.proposalValue(round);
    const valid = value === null ? undefined : this.validity.get(value);
    if (s.step === Step.PROPOSE && proposal && value !== null && valid !== undefined) {
      // Line 22: a fresh proposal.
      if (proposal.polRound === null) return { kind: "proposal", value, valid };
      // Line 28: a re-proposal whose proof of lock (2f+1 prevotes in round vr) we hold.
      if (keeper.polka(proposal.polRound, value)) {
        return { kind: "proposal_and_polka_previous", value, validRound: proposal.polRound, valid };
      }
    }
    if (s.step === Step.PREVOTE || s.step === Step.PRECOMMIT) {
      // Line 36: the proposal, 2f+1 prevotes for it, and valid.
      if (!s.polkaValueSeen && value !== null && valid === true && keeper.polka(round, value)) {
        return { kind: "proposal_and_polka_current", value };
      }
    }
    if (s.step === Step.PREVOTE) {
      // Line 34: 2f+1 prevotes of any kind.
      if (!s.prevoteTimeoutScheduled && keeper.polkaAny(round)) return { kind: "polka_any" };
      // Line 44: 2f+1 prevotes for nil.
      if (keeper.polka(round, NIL)) return { kind: "polka_nil" };
    }
    // Line 47: 2f+1 precommits of any kind.
    if (!s.precommitTimeoutScheduled && keeper.precommitAny(round)) return { kind: "precommit_any" };
    return null;
  }

  /** Runs one input through the state machine and carries out its outputs. */
  private feed(input: RoundInput): void {
    const before = this.rs.round;
    const { state, outputs } = applyInput(this.rs, input, this.rules);
    this.rs = state;
    // Every new round gets its own rebroadcast timer; the previous round's timer dies when it fires.
    if (state.round !== before && before >= 0) this.scheduleRebroadcast();
    for (const output of outputs) this.execute(output);
  }

  private execute(output: RoundOutput): void {
    const { height } = this.rs;
    switch (output.kind) {
      case "get_value": {
        const signed = this.own.get(ownKey(height, output.round, "p")) as Proposal | undefined;
        if (signed) {
          // Restarted after proposing: propose the very same block again.
          this.feed({ kind: "propose_value", round: output.round, value: valueKey(signed.blockHash) });
        } else if (this.buildRequested !== output.round) {
          this.buildRequested = output.round;
          this.out.push({ type: "build_block", height, round: output.round });
        }
        return;
      }
      case "propose":
        this.propose(output.round, output.value, output.validRound);
        return;
      case "prevote":
        this.vote(VoteType.PREVOTE, output.round, output.value);
        return;
      case "precommit":
        this.vote(VoteType.PRECOMMIT, output.round, output.value);
        return;
      case "schedule_timeout":
        this.out.push({
          type: "schedule_timeout",
          height,
          round: output.round,
          step: output.step,
          durationMs: timeoutDuration(this.params, output.step, output.round),
        });
        return;
      case "decide":
        this.decide(output.round, output.value);
        return;
    }
  }

  private propose(round: number, value: string, validRound: number): void {
    const signer = this.signer;
    const validators = this.validators;
    const keeper = this.keeper;
    if (!signer || !validators || !keeper) return;
    const height = this.rs.height;
    const key = ownKey(height, round, "p");
    let proposal = this.own.get(key) as Proposal | undefined;
    if (!proposal) {
      const unsigned = { height, round, polRound: validRound < 0 ? null : validRound, blockHash: hexToBytes(value) };
      proposal = {
        ...unsigned,
        proposer: signer.publicKey,
        signature: signer.sign(proposalSigningBytes(this.chainId, unsigned)),
      };
      this.own.set(key, proposal);
      this.out.push({ type: "persist", record: { kind: "proposal", proposal } });
    }
    this.out.push({ type: "broadcast_proposal", proposal });
    // Send the proof of lock along, so receivers can apply line 28 without waiting for gossip.
    if (proposal.polRound !== null) this.relayPolka(proposal.polRound, valueKey(proposal.blockHash));
    keeper.setProposal(round, proposal, valueKey(proposal.blockHash), validators.indexOf(signer.publicKey));
  }

  private vote(type: VoteType, round: number, value: string | null): void {
    const signer = this.signer;
    const validators = this.validators;
    const keeper = this.keeper;
    if (!signer || !validators || !keeper) return; // an observer follows the steps without voting
    const index = validators.indexOf(signer.publicKey);
    if (index < 0) return;
    const height = this.rs.height;
    const key = ownKey(height, round, type);
    let vote = this.own.get(key) as Vote | undefined;
    if (!vote) {
      const unsigned = { type, height, round, blockHash: value === null || value === NIL ? null : hexToBytes(value) };
      vote = {
        ...unsigned,
        validator: signer.publicKey,
        signature: signer.sign(voteSigningBytes(this.chainId, unsigned)),
      };
      this.own.set(key, vote);
      this.out.push({ type: "persist", record: { kind: "vote", vote } });
    }
    // After a restart the recorded vote wins over what the machine would say now: never sign twice.
    this.out.push({ type: "broadcast_vote", vote });
    keeper.addVote(vote, index, valueKey(vote.blockHash));
  }

  private decide(round: number, value: string): void {
    const validators = this.validators;
    const keeper = this.keeper;
    if (!validators || !keeper) return;
    const precommits = keeper.votesFor(round, VoteType.PRECOMMIT, value);
    const certificate = commitFromPrecommits(validators, precommits);
    this.lastCommit = { height: this.rs.height, validators, proposal: keeper.proposal(round), precommits };
    this.out.push({ type: "commit", height: this.rs.height, round, blockHash: hexToBytes(value), certificate });
  }

  private remember(record: WalRecord): void {
    if (record.kind === "vote") {
      const v = record.vote;
      this.own.set(ownKey(v.height, v.round, v.type), v);
    } else {
      const p = record.proposal;
      this.own.set(ownKey(p.height, p.round, "p"), p);
    }
  }
}

/** The precommits a commit certificate was built from, so they can be relayed as votes. */
function precommitsOf(certificate: CommitCertificate, validators: ValidatorSet): Vote[] {
  const out: Vote[] = [];
  for (const { validatorIndex, signature } of certificate.signatures) {
    const validator = validators.at(validatorIndex);
    if (!validator) continue;
    const { height, round, blockHash } = certificate;
    out.push({ type: VoteType.PRECOMMIT, height, round, blockHash, validator: validator.publicKey, signature });
  }
  return out;
}

/** A new engine; pass the records persisted before a restart so it never signs a conflicting message. */
export function createEngine(options: EngineOptions, records: readonly WalRecord[] = []): ConsensusEngine {
  return new ConsensusEngine(options, records);
}
