import { bytesToHex, type Proposal, type Vote } from "@hansa/core";
import { MAX_BUFFERED } from "./limits.js";

export type Message = { kind: "proposal"; proposal: Proposal } | { kind: "vote"; vote: Vote };

interface Entry {
  height: number;
  message: Message;
  /** The signature was already checked (sender keys are fixed, so it stays valid at replay). */
  verified: boolean;
}

/**
 * Messages for heights we have not started yet. One slot per (height, round, step, sender), first wins, and
 * at most MAX_BUFFERED in all, so a flood costs a bounded amount of memory.
 */
export class FutureBuffer {
  private readonly entries = new Map<string, Entry>();

  add(height: number, message: Message, verified: boolean): boolean {
    if (this.entries.size >= MAX_BUFFERED) return false;
    const key =
      message.kind === "vote"
        ? `${height}/${message.vote.round}/${message.vote.type}/${bytesToHex(message.vote.validator)}`
        : `${height}/${message.proposal.round}/p/${bytesToHex(message.proposal.proposer)}`;
    if (this.entries.has(key)) return false;
    this.entries.set(key, { height, message, verified });
    return true;
  }

  /** Removes and returns the messages for `height`, dropping those for lower heights. */
  take(height: number): Entry[] {
    const out: Entry[] = [];
    for (const [key, entry] of this.entries) {
      if (entry.height <= height) {
        this.entries.delete(key);
        if (entry.height === height) out.push(entry);
      }
    }
    return out;
  }

  get size(): number {
    return this.entries.size;
  }
}
