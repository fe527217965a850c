import type { Vote } from "@hansa/core";

/**
 * The votes of one type in one round. `first` holds each validator's first vote and gives the "any"
 * totals, where a validator counts once. Per value, a validator counts once for each value it signed:
 * counting an equivocator's vote for both values is safe (two quorums would still share more than 1/3
 * of the power, all of it equivocating) and is needed, because different nodes may have seen different
 * halves of an equivocation first.
 */
export class VoteTally {
  readonly first = new Map<number, Vote>();
  private readonly byValue = new Map<string, Map<number, Vote>>();
  private readonly power = new Map<string, number>();
  total = 0;

  has(index: number, value: string): boolean {
    return this.byValue.get(value)?.has(index) ?? false;
  }

  /** Records a vote; returns false if this validator's vote for this value was already counted. */
  add(index: number, vote: Vote, value: string, weight: number): boolean {
    let votes = this.byValue.get(value);
    if (!votes) {
      votes = new Map();
      this.byValue.set(value, votes);
    }
    if (votes.has(index)) return false;
    votes.set(index, vote);
    this.power.set(value, (this.power.get(value) ?? 0) + weight);
    if (!this.first.has(index)) {
      this.first.set(index, vote);
      this.total += weight;
    }
    return true;
  }

  powerFor(value: string): number {
    return this.power.get(value) ?? 0;
  }

  votesFor(value: string): Vote[] {
    return [...(this.byValue.get(value)?.values() ?? [])];
  }

  /** Stored votes, counting a validator's extra votes for other values. */
  get size(): number {
    let n = 0;
    for (const votes of this.byValue.values()) n += votes.size;
    return n;
  }
}
