import {
  bytesTo0x,
  encodeReceipt,
  equalBytes,
  merkleRoot,
  type Receipt,
  type Transaction,
  type Validator,
} from "@hansa/core";
import { commitState } from "./commitment.js";
import { VALIDATOR_UPDATE_DELAY } from "./constants.js";
import type { TxContext } from "./context.js";
import { checkEnvelopeFrame, checkSignature } from "./envelope.js";
import { blockInvalid, isLedgerError, LedgerErrorCode } from "./errors.js";
import { runPayload } from "./handlers/index.js";
import { decodePayload } from "./payloads.js";
import { Overlay, type StateReader, type StateWrite } from "./state.js";
import { LedgerStore } from "./store.js";

export interface BlockTx {
  tx: Transaction;
  /** transactionHash(encodeTransaction(tx)), which the node already has; it is trusted, not recomputed. */
  hash: Uint8Array;
  /** True when the node has already verified the signature; otherwise executeBlock verifies it. */
  signatureVerified?: boolean;
}

export interface BlockInput {
  chainId: string;
  height: number;
  /** The block's time (ms since the epoch), the ledger's only clock. */
  time: number;
  /** The state root of block height - 1 (of genesis for height 1). */
  prevStateRoot: Uint8Array;
  txs: readonly BlockTx[];
}

export interface ValidatorUpdate {
  /** First height the new set votes on. */
  effectiveHeight: number;
  validators: Validator[];
}

export interface BlockResult {
  receipts: Receipt[];
  /** The receipts encoded, as the store keeps them and receiptsRoot commits to them. */
  encodedReceipts: Uint8Array[];
  /** RFC 6962 Merkle root over the encoded receipts, in block order: the header's receiptsRoot. */
  receiptsRoot: Uint8Array;
  stateRoot: Uint8Array;
  /**
   * Every state change of the block, for the node to write in one batch with the block: the ledger's own
   * sorted by key, then the new state-tree nodes, children before parents. Both orders are deterministic.
   */
  writes: StateWrite[];
  /** Present when governance changed the validator set in this block. */
  validatorUpdate?: ValidatorUpdate;
}

const MAX_MESSAGE_BYTES = 512;

/** Receipt messages are bounded by the receipt codec; cut between code points, never inside one. */
function clip(message: string): string {
  if (Buffer.byteLength(message, "utf8") <= MAX_MESSAGE_BYTES) return message;
  let out = "";
  let size = 0;
  for (const ch of message) {
    const n = Buffer.byteLength(ch, "utf8");
    if (size + n > MAX_MESSAGE_BYTES - 3) break;
    out += ch;
    size += n;
  }
  return `${out}...`;
}

/** Checks the block continues the state it is executed on. */
async function checkContinuity(input: BlockInput, store: LedgerStore): Promise<void> {
  const meta = await store.meta();
  if (meta === undefined) throw blockInvalid(-1, LedgerErrorCode.NOT_FOUND, "state has no genesis");
  if (input.chainId !== meta.chainId) {
    throw blockInvalid(
      -1,
      LedgerErrorCode.WRONG_CHAIN,
      `block is for chain "${input.chainId}", state is "${meta.chainId}"`,
    );
  }
  if (input.height !== meta.height + 1) {
    throw blockInvalid(-1, LedgerErrorCode.BLOCK_INVALID, `height ${input.height} does not follow ${meta.height}`);
  }
  if (!equalBytes(input.prevStateRoot, meta.stateRoot)) {
    throw blockInvalid(-1, LedgerErrorCode.BLOCK_INVALID, `prevStateRoot is not the state root of ${meta.height}`);
  }
  if (input.time < meta.time) {
    throw blockInvalid(-1, LedgerErrorCode.BLOCK_INVALID, `time ${input.time} is before ${meta.time}`);
  }
}

/**
 * Checks a transaction may be in the block at all and consumes its nonce. A fault here cannot appear in an
 * honest proposer's block (the mempool refuses it), so it rejects the whole block.
 */
async function admit(store: LedgerStore, chainId: string, item: BlockTx, index: number): Promise<void> {
  const { tx } = item;
  try {
    checkEnvelopeFrame(tx, chainId);
    if (item.signatureVerified !== true) checkSignature(tx);
  } catch (err) {
    if (isLedgerError(err)) throw blockInvalid(index, err.code, err.message);
    throw err;
  }
  const account = await store.account(tx.sender);
  if (account === undefined) {
    throw blockInvalid(index, LedgerErrorCode.UNKNOWN_ACCOUNT, `sender ${bytesTo0x(tx.sender)} has no account`);
  }
  if (tx.nonce !== account.nonce) {
    const cause = tx.nonce < account.nonce ? LedgerErrorCode.NONCE_STALE : LedgerErrorCode.NONCE_GAP;
    throw blockInvalid(index, cause, `nonce ${tx.nonce}, expected ${account.nonce}`);
  }
  store.putAccount(tx.sender, { nonce: account.nonce + 1 });
}

/**
 * Executes a block over the committed state: pure except for reads, deterministic, and writes nothing
 * itself. Throws LedgerError LEDGER_BLOCK_INVALID when the block must be rejected as a whole.
 */
export async function executeBlock(input: BlockInput, state: StateReader): Promise<BlockResult> {
  const overlay = new Overlay(state);
  const store = new LedgerStore(overlay);
  await checkContinuity(input, store);

  const receipts: Receipt[] = [];
  for (const [index, item] of input.txs.entries()) {
    await admit(store, input.chainId, item, index);
    const txOverlay = overlay.child();
    const ctx: TxContext = {
      store: new LedgerStore(txOverlay),
      sender: item.tx.sender,
      height: input.height,
      time: input.time,
      txHash: item.hash,
    };
    try {
      const result = await runPayload(ctx, decodePayload(item.tx.kind, item.tx.payload));
      txOverlay.mergeInto(overlay);
      receipts.push({ txHash: item.hash, ok: true, code: "", message: "", result });
    } catch (err) {
      // Only the ledger's own errors are transaction failures; anything else is a fault of this node.
      if (!isLedgerError(err)) throw err;
      receipts.push({
        txHash: item.hash,
        ok: false,
        code: err.code,
        message: clip(err.message),
        result: new Uint8Array(0),
      });
    }
  }

  const commitment = await commitState(state, input.prevStateRoot, overlay.writes());
  store.putMeta({ chainId: input.chainId, height: input.height, time: input.time, stateRoot: commitment.root });
  // The tree's nodes (three in four of a block's writes) are keyed by their own hash, so they are new keys
  // with nothing to merge or sort: they follow the ledger's writes instead of going through the overlay.
  const writes = overlay.writes();
  for (const n of commitment.nodes) writes.push(n);

  const encodedReceipts = receipts.map(encodeReceipt);
  const result: BlockResult = {
    receipts,
    encodedReceipts,
    receiptsRoot: merkleRoot(encodedReceipts),
    stateRoot: commitment.root,
    writes,
  };
  const latest = await store.latestValidators();
  const effectiveHeight = input.height + VALIDATOR_UPDATE_DELAY;
  // Only this block can schedule a set for height + 2; earlier blocks scheduled for earlier heights.
  if (latest !== undefined && latest.fromHeight === effectiveHeight) {
    result.validatorUpdate = { effectiveHeight, validators: latest.validators };
  }
  return result;
}
