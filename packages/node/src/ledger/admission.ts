import type { Transaction } from "@hansa/core";
import type { TxContext } from "./context.js";
import { checkEnvelope, checkEnvelopeFrame, checkSignature } from "./envelope.js";
import { LedgerError, LedgerErrorCode, ledgerError } from "./errors.js";
import { runPayload } from "./handlers/index.js";
import type { AnyPayload } from "./payloads.js";
import { Overlay, type StateReader } from "./state.js";
import { LedgerStore } from "./store.js";

export interface CheckTransactionOptions {
  /**
   * For a mempool holding transactions of this sender: the nonce the sender's next executable transaction
   * carries once its pending ones before this one run. A nonce below it is stale; a nonce above it sits past
   * a gap the caller keeps track of (it holds such transactions until the gap fills) and is not refused.
   * Without it, the nonce must equal the committed next nonce exactly.
   */
  expectedNonce?: number;
  /** True when the caller has already verified the signature. */
  signatureVerified?: boolean;
  /**
   * False to stop after the checks a block makes before executing (envelope frame, sender's account,
   * nonce): the payload is neither decoded nor dry-run. Default true.
   */
  dryRun?: boolean;
}

/**
 * Mempool admission: every check executeBlock would make, against the committed state, throwing a
 * LedgerError with a distinct code. After the envelope and nonce checks it dry-runs the transaction in a
 * scratch overlay at the next height, so permission and state errors surface here too. With pending
 * transactions ahead of it, the dry run does not see their effects; a transaction admitted here may still
 * fail in its block (with a receipt), never the reverse. With `dryRun: false` only the checks that decide
 * whether a block may hold the transaction at all run, so a failure there is still never a block's.
 */
export async function checkTransaction(
  tx: Transaction,
  state: StateReader,
  options: CheckTransactionOptions = {},
): Promise<void> {
  const store = new LedgerStore(new Overlay(state));
  const meta = await store.meta();
  if (meta === undefined) throw ledgerError(LedgerErrorCode.NOT_FOUND, "state has no genesis");
  const dryRun = options.dryRun ?? true;
  let payload: AnyPayload | undefined;
  if (dryRun) payload = checkEnvelope(tx, meta.chainId);
  else checkEnvelopeFrame(tx, meta.chainId);
  if (options.signatureVerified !== true) checkSignature(tx);

  const account = await store.account(tx.sender);
  if (account === undefined) {
    throw ledgerError(LedgerErrorCode.UNKNOWN_ACCOUNT, "sender is not a member or validator of this chain");
  }
  const expected = Math.max(options.expectedNonce ?? account.nonce, account.nonce);
  if (tx.nonce < expected) {
    throw new LedgerError(
      { code: LedgerErrorCode.NONCE_STALE, expected, got: tx.nonce },
      `nonce ${tx.nonce} is already used; next is ${expected}`,
    );
  }
  if (tx.nonce > expected && options.expectedNonce === undefined) {
    throw new LedgerError(
      { code: LedgerErrorCode.NONCE_GAP, expected, got: tx.nonce },
      `nonce ${tx.nonce} leaves a gap; next is ${expected}`,
    );
  }
  if (payload === undefined) return;

  const ctx: TxContext = {
    store: new LedgerStore(new Overlay(state)),
    sender: tx.sender,
    height: meta.height + 1,
    time: meta.time,
    // The hash is only stored by writes, which the dry run discards.
    txHash: new Uint8Array(32),
  };
  await runPayload(ctx, payload);
}
