import type { Transaction } from "@hansa/core";
import type { TxSource } from "./types.js";

/** A pending transaction. `seq` is its arrival order across the whole pool. */
export interface PendingTx {
  hash: Uint8Array;
  id: string;
  bytes: Uint8Array;
  tx: Transaction;
  sender: string;
  source: TxSource;
  seq: number;
  /** The head height when it was admitted, for the TTL. */
  admittedAt: number;
}

/**
 * One sender's pending transactions by nonce. `base` is the sender's next nonce per committed state; pending
 * nonces lie in [base, base + window). The ones from `base` up without a gap are executable.
 */
export class SenderQueue {
  base: number;
  readonly byNonce = new Map<number, PendingTx>();

  constructor(base: number) {
    this.base = base;
  }

  /** The nonce after the executable run: the next nonce the sender can fill without a gap. */
  contiguousNext(): number {
    let next = this.base;
    while (this.byNonce.has(next)) next++;
    return next;
  }

  /** The nonce a transaction with `nonce` executes after: its own if nothing before it is missing. */
  expectedFor(nonce: number): number {
    return Math.min(nonce, this.contiguousNext());
  }
}
