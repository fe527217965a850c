import { bytesToHex, type Evidence, evidenceId } from "@hansa/core";

/** Evidence held while it waits for a block, beyond which new reports are dropped (the oldest are kept). */
const DEFAULT_MAX_PENDING = 256;

/**
 * Equivocation this node saw and has not yet seen committed, in the order it was seen. The engine reports
 * each misbehaviour once per height; the pool keys by evidence id so the same misbehaviour reported twice,
 * or shown by a different pair of messages, waits here once.
 */
export class EvidencePool {
  private readonly pending = new Map<string, Evidence>();

  constructor(private readonly maxPending = DEFAULT_MAX_PENDING) {}

  get size(): number {
    return this.pending.size;
  }

  /** Adds `evidence`; false when the same misbehaviour already waits or the pool is full. */
  add(evidence: Evidence): boolean {
    const id = bytesToHex(evidenceId(evidence));
    if (this.pending.has(id) || this.pending.size >= this.maxPending) return false;
    this.pending.set(id, evidence);
    return true;
  }

  /** Up to `max` pieces, oldest first; they stay pending until `remove`. */
  take(max: number): Evidence[] {
    const out: Evidence[] = [];
    for (const evidence of this.pending.values()) {
      if (out.length >= max) break;
      out.push(evidence);
    }
    return out;
  }

  /** Forgets the evidence with these ids (committed, or found invalid or too old). */
  remove(ids: readonly Uint8Array[]): void {
    for (const id of ids) this.pending.delete(bytesToHex(id));
  }
}
