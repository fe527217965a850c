import { type Proposal, type ValidatorSet, type Vote, VoteType } from "@hansa/core";
import { VoteTally } from "./tally.js";
import { NIL } from "./value.js";

/** Threshold events, raised when a tally first crosses a threshold. */
export const ThresholdKind = {
  POLKA_VALUE: "polka_value",
  POLKA_NIL: "polka_nil",
  POLKA_ANY: "polka_any",
  PRECOMMIT_VALUE: "precommit_value",
  PRECOMMIT_ANY: "precommit_any",
} as const;
export type ThresholdKind = (typeof ThresholdKind)[keyof typeof ThresholdKind];

export interface Threshold {
  kind: ThresholdKind;
  round: number;
  /** The block (hex) for POLKA_VALUE and PRECOMMIT_VALUE, otherwise null. */
  value: string | null;
}

export type AddVoteResult =
  | { kind: "added"; thresholds: Threshold[] }
  | { kind: "duplicate" }
  | { kind: "conflict"; existing: Vote };

interface RoundVotes {
  prevotes: VoteTally;
  precommits: VoteTally;
  proposal: Proposal | null;
  proposalValue: string | null;
}

/**
 * The signed votes and proposals of one height, tallied by power per (round, type, value). Callers check
 * signatures and membership first; the keeper only counts, one vote per validator per (round, type).
 * It also remembers the highest round each validator has shown (one number each), which drives the
 * round skip of line 55 without storing messages from far-future rounds.
 */
export class VoteKeeper {
  private readonly rounds = new Map<number, RoundVotes>();
  private readonly maxRound: number[];
  private skipCache: number | null = null;
  /** (round, value) pairs with 2f+1 precommits for a block, in the order they formed. */
  readonly decisions: { round: number; value: string }[] = [];

  constructor(readonly validators: ValidatorSet) {
    this.maxRound = new Array<number>(validators.size).fill(-1);
  }

  private at(round: number): RoundVotes {
    let r = this.rounds.get(round);
    if (!r) {
      r = { prevotes: new VoteTally(), precommits: new VoteTally(), proposal: null, proposalValue: null };
      this.rounds.set(round, r);
    }
    return r;
  }

  private tally(round: number, type: VoteType): VoteTally | undefined {
    const r = this.rounds.get(round);
    return type === VoteType.PREVOTE ? r?.prevotes : r?.precommits;
  }

  /** The validator's first vote of this round and type. */
  existingVote(round: number, type: VoteType, index: number): Vote | undefined {
    return this.tally(round, type)?.first.get(index);
  }

  hasVote(round: number, type: VoteType, index: number, value: string): boolean {
    return this.tally(round, type)?.has(index, value) ?? false;
  }

  /**
   * Counts a verified vote. A validator's first vote of a (round, type) always counts; a second one for a
   * different value (an equivocation, reported as "conflict") counts only for the proposal's block of that
   * round, the one value worth completing a quorum for, so an equivocator cannot fill memory with values.
   */
  addVote(vote: Vote, index: number, value: string): AddVoteResult {
    const r = this.at(vote.round);
    const tally = vote.type === VoteType.PREVOTE ? r.prevotes : r.precommits;
    if (tally.has(index, value)) return { kind: "duplicate" };
    const existing = tally.first.get(index);
    if (existing && value !== r.proposalValue) return { kind: "conflict", existing };
    const weight = this.validators.at(index)?.power ?? 0;
    const beforeValue = tally.powerFor(value);
    const beforeAny = tally.total;
    tally.add(index, vote, value, weight);
    this.noteRound(index, vote.round);
    const thresholds = this.crossed(vote, value, beforeAny, tally.total, beforeValue, tally.powerFor(value));
    return existing ? { kind: "conflict", existing } : { kind: "added", thresholds };
  }

  private crossed(vote: Vote, value: string, beforeAny: number, any: number, beforeValue: number, power: number) {
    const q = (p: number) => this.validators.isQuorum(p);
    const thresholds: Threshold[] = [];
    const prevote = vote.type === VoteType.PREVOTE;
    if (!q(beforeAny) && q(any)) {
      thresholds.push({
        kind: prevote ? ThresholdKind.POLKA_ANY : ThresholdKind.PRECOMMIT_ANY,
        round: vote.round,
        value: null,
      });
    }
    if (!q(beforeValue) && q(power)) {
      if (value === NIL) {
        if (prevote) thresholds.push({ kind: ThresholdKind.POLKA_NIL, round: vote.round, value: null });
      } else {
        thresholds.push({
          kind: prevote ? ThresholdKind.POLKA_VALUE : ThresholdKind.PRECOMMIT_VALUE,
          round: vote.round,
          value,
        });
        if (!prevote) this.decisions.push({ round: vote.round, value });
      }
    }
    return thresholds;
  }

  proposal(round: number): Proposal | null {
    return this.rounds.get(round)?.proposal ?? null;
  }

  proposalValue(round: number): string | null {
    return this.rounds.get(round)?.proposalValue ?? null;
  }

  setProposal(round: number, proposal: Proposal, value: string, proposerIndex: number): void {
    const r = this.at(round);
    if (r.proposal) return;
    r.proposal = proposal;
    r.proposalValue = value;
    this.noteRound(proposerIndex, round);
  }

  /** Records that a validator has shown a message (verified) at `round`. */
  noteRound(index: number, round: number): void {
    if ((this.maxRound[index] ?? -1) < round) {
      this.maxRound[index] = round;
      this.skipCache = null;
    }
  }

  highestRoundOf(index: number): number {
    return this.maxRound[index] ?? -1;
  }

  /** More than 2/3 of the power prevoted `value` (a block hex, or NIL) in `round`. */
  polka(round: number, value: string): boolean {
    return this.validators.isQuorum(this.rounds.get(round)?.prevotes.powerFor(value) ?? 0);
  }

  polkaAny(round: number): boolean {
    return this.validators.isQuorum(this.rounds.get(round)?.prevotes.total ?? 0);
  }

  precommitQuorum(round: number, value: string): boolean {
    return this.validators.isQuorum(this.rounds.get(round)?.precommits.powerFor(value) ?? 0);
  }

  precommitAny(round: number): boolean {
    return this.validators.isQuorum(this.rounds.get(round)?.precommits.total ?? 0);
  }

  votesFor(round: number, type: VoteType, value: string): Vote[] {
    return this.tally(round, type)?.votesFor(value) ?? [];
  }

  allVotes(round: number): Vote[] {
    const r = this.rounds.get(round);
    return r ? [...r.prevotes.first.values(), ...r.precommits.first.values()] : [];
  }

  /**
   * The highest round that validators with more than 1/3 of the power have reached (so at least one honest
   * validator is there), or -1. Line 55 asks for f+1 messages in one round r; counting each validator at
   * its highest round is the same rule applied to rounds we did not store.
   */
  skipRound(): number {
    if (this.skipCache !== null) return this.skipCache;
    const order = this.maxRound.map((round, index) => ({ round, power: this.validators.at(index)?.power ?? 0 }));
    order.sort((a, b) => b.round - a.round);
    let power = 0;
    let result = -1;
    for (const { round, power: p } of order) {
      power += p;
      if (this.validators.isOneThird(power)) {
        result = round;
        break;
      }
    }
    this.skipCache = result;
    return result;
  }

  /** Stored votes and proposals, for bounds checks. */
  size(): number {
    let n = 0;
    for (const r of this.rounds.values()) n += r.prevotes.size + r.precommits.size + (r.proposal ? 1 : 0);
    return n;
  }
}
