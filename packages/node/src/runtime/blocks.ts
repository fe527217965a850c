import {
  type Block,
  blockHash,
  bytesToKey,
  commitHash,
  decodeBlock,
  decodeTransaction,
  type Evidence,
  encodeBlock,
  encodeEvidence,
  equalBytes,
  evidenceId,
  evidenceRoot,
  HansaError,
  merkleRoot,
  transactionHash,
  ValidatorSet,
  verifyCommit,
  verifyEncodedTransactionSignature,
} from "@hansa/core";
import { type BlockResult, type BlockTx, executeBlock, isLedgerError } from "../ledger/index.js";
import type { Mempool } from "../mempool/index.js";
import type { BlockCommit, Store } from "../storage/index.js";
import { blockEvidenceProblem, selectEvidence } from "./block-evidence.js";
import type { ChainView } from "./chain.js";
import type { EvidencePool } from "./evidence-pool.js";

/** A block this node built or checked, with everything needed to commit it without executing again. */
export interface PreparedBlock {
  block: Block;
  bytes: Uint8Array;
  hash: Uint8Array;
  txHashes: Uint8Array[];
  senders: Uint8Array[];
  result: BlockResult;
}

export type BlockErrorType = { code: "BLOCK_INVALID"; height: number; reason: string };

export class BlockError extends HansaError<BlockErrorType> {
  constructor(height: number, reason: string) {
    super({ code: "BLOCK_INVALID", height, reason }, `block ${height} invalid: ${reason}`);
    this.name = "BlockError";
  }
}

/** How far ahead of this node's clock a proposer's block time may be. */
const MAX_CLOCK_DRIFT_MS = 30_000;
/** Room left in a block for its header and certificate. */
const BLOCK_OVERHEAD_BYTES = 64 * 1024;

/**
 * What building and checking a block reads: the committed chain and store, or block sync's view of them with
 * the blocks it has checked but not yet written on top (SyncBatch).
 */
export type BlockChainView = Pick<ChainView, "tip" | "genesis" | "chainId" | "validatorsAt">;
export type BlockStore = Pick<Store, "get" | "getTxLocations" | "getEvidenceHeight">;

export interface BlockFactoryModules {
  chain: BlockChainView;
  store: BlockStore;
  mempool: Mempool;
  /** Equivocation waiting to be recorded; the proposer puts it in its block. */
  evidence: EvidencePool;
  now?: () => number;
}

/**
 * Builds this node's proposals and checks everyone else's. Both execute the block once on the committed
 * state and keep the result, so a committed block is written without a second execution.
 */
export class BlockFactory {
  private readonly now: () => number;

  constructor(private readonly modules: BlockFactoryModules) {
    this.now = modules.now ?? Date.now;
  }

  /** The next block, filled from the mempool, proposed by `proposer`. */
  async build(height: number, proposer: Uint8Array): Promise<PreparedBlock> {
    const { chain, mempool } = this.modules;
    const tip = chain.tip;
    if (height !== tip.height + 1) throw new BlockError(height, `cannot build on tip ${tip.height}`);
    const params = chain.genesis.consensusParams;
    let reaped = mempool.reap({ maxTxs: params.maxBlockTxs, maxBytes: params.maxBlockBytes - BLOCK_OVERHEAD_BYTES });
    const time = Math.max(this.now(), tip.time + 1);
    const evidence = await selectEvidence(this.modules.evidence, height, this.modules);
    // A transaction that turned invalid since admission (a race with the last block) is dropped and the
    // block rebuilt without it; a few rounds of this always end with a valid block.
    for (let attempt = 0; ; attempt++) {
      const txs: BlockTx[] = reaped.map((r) => ({ tx: r.tx, hash: r.hash, signatureVerified: true }));
      try {
        const result = await executeBlock(
          { chainId: chain.chainId, height, time, prevStateRoot: tip.stateRoot, txs },
          this.modules.store,
        );
        return await this.assemble(
          height,
          time,
          proposer,
          evidence,
          reaped.map((r) => r.bytes),
          reaped.map((r) => r.hash),
          reaped.map((r) => r.tx.sender),
          result,
        );
      } catch (err) {
        const index = isLedgerError(err) ? (err.type as { txIndex?: number }).txIndex : undefined;
        if (index === undefined || index < 0 || attempt >= 8) throw err;
        reaped = reaped.filter((_, i) => i < index);
      }
    }
  }

  private async assemble(
    height: number,
    time: number,
    proposer: Uint8Array,
    evidence: Evidence[],
    txBytes: Uint8Array[],
    txHashes: Uint8Array[],
    senders: Uint8Array[],
    result: BlockResult,
  ): Promise<PreparedBlock> {
    const { chain } = this.modules;
    const tip = chain.tip;
    const validators = await chain.validatorsAt(height);
    const block: Block = {
      header: {
        chainId: chain.chainId,
        height,
        time,
        prevBlockHash: tip.hash,
        txRoot: merkleRoot(txHashes),
        stateRoot: result.stateRoot,
        receiptsRoot: result.receiptsRoot,
        evidenceRoot: evidenceRoot(evidence),
        validatorSetHash: validators.hash,
        proposer,
        lastCommitHash: tip.commitHash,
      },
      txs: txBytes,
      evidence,
      lastCommit: tip.commit,
    };
    return { block, bytes: encodeBlock(block), hash: blockHash(block.header), txHashes, senders, result };
  }

  /**
   * Checks a proposed (or synced) block against the committed tip: structure, links, certificate of the
   * previous block, every signature (skipping those the mempool already verified), and that executing it
   * yields the roots its header claims. Throws BlockError naming the first problem.
   */
  async validate(
    bytes: Uint8Array,
    expect: { height: number; hash: Uint8Array; proposer?: Uint8Array },
  ): Promise<PreparedBlock> {
    const { chain, mempool, store } = this.modules;
    const { height } = expect;
    let block: Block;
    try {
      block = decodeBlock(bytes, chain.genesis.consensusParams.maxBlockBytes);
    } catch (err) {
      throw new BlockError(height, `undecodable: ${(err as Error).message}`);
    }
    const h = block.header;
    const hash = blockHash(h);
    const fail = (reason: string): never => {
      throw new BlockError(height, reason);
    };
    if (!equalBytes(hash, expect.hash)) fail("hash differs from the proposal's");
    const tip = chain.tip;
    if (h.chainId !== chain.chainId) fail(`chain id ${h.chainId}`);
    if (h.height !== height || height !== tip.height + 1) fail(`height ${h.height} does not follow tip ${tip.height}`);
    if (!equalBytes(h.prevBlockHash, tip.hash)) fail("prevBlockHash is not the tip");
    if (h.time <= tip.time) fail("time does not increase");
    if (h.time > this.now() + MAX_CLOCK_DRIFT_MS) fail("time is too far in the future");
    if (expect.proposer && !equalBytes(h.proposer, expect.proposer))
      fail("proposer differs from the proposal's signer");
    const validators = await chain.validatorsAt(height);
    if (!equalBytes(h.validatorSetHash, validators.hash)) fail("validatorSetHash is not this height's set");
    if (block.txs.length > chain.genesis.consensusParams.maxBlockTxs) fail("too many transactions");
    if (!equalBytes(h.evidenceRoot, evidenceRoot(block.evidence))) fail("evidenceRoot mismatch");
    const evidenceProblem = await blockEvidenceProblem(block.evidence, height, this.modules);
    if (evidenceProblem) fail(evidenceProblem);

    if (height === 1) {
      if (block.lastCommit !== null || h.lastCommitHash !== null) fail("block 1 carries a last commit");
    } else {
      if (block.lastCommit === null || h.lastCommitHash === null) return fail("missing last commit");
      const lastCommitHash = commitHash(block.lastCommit);
      if (!equalBytes(h.lastCommitHash, lastCommitHash)) fail("lastCommitHash mismatch");
      // The certificate this node committed the tip with was verified then; a proposer (or a synced block)
      // that carries the very same one needs no second check, which halves signature work during sync.
      const known = tip.commitHash !== null && equalBytes(tip.commitHash, lastCommitHash);
      if (!known) {
        try {
          verifyCommit(chain.chainId, await chain.validatorsAt(height - 1), block.lastCommit, {
            height: height - 1,
            blockHash: tip.hash,
          });
        } catch (err) {
          fail(`last commit: ${(err as Error).message}`);
        }
      }
    }

    const txs: BlockTx[] = [];
    const txHashes: Uint8Array[] = [];
    const senders: Uint8Array[] = [];
    /** Indexes of the transactions not pending here, which only the committed index can clear of replay. */
    const unvouched: number[] = [];
    const seen = new Set<string>();
    // Read now, not at the start: the chain may have moved on while this check awaited.
    const mempoolCurrent = mempool.appliedHeight >= chain.tip.height;
    for (const [i, encoded] of block.txs.entries()) {
      const txHash = transactionHash(encoded);
      const id = bytesToKey(txHash);
      if (seen.has(id)) fail(`transaction ${i} repeats an earlier one`);
      seen.add(id);
      // A transaction this node admitted was decoded and checked then: same hash, same bytes.
      let tx = mempool.getPending(txHash)?.tx;
      if (!tx || !mempoolCurrent) unvouched.push(i);
      if (!tx) {
        try {
          tx = decodeTransaction(encoded);
        } catch (err) {
          return fail(`transaction ${i} undecodable: ${(err as Error).message}`);
        }
      }
      // Verified once per node: on admission to the mempool, or here for transactions it never saw.
      if (!mempool.isVerified(txHash)) {
        if (!verifyEncodedTransactionSignature(tx, encoded)) fail(`transaction ${i} has a bad signature`);
        mempool.markVerified(txHash);
      }
      txs.push({ tx, hash: txHash, signatureVerified: true });
      txHashes.push(txHash);
      senders.push(tx.sender);
    }
    if (!equalBytes(h.txRoot, merkleRoot(txHashes))) fail("txRoot mismatch");
    // Replays. A transaction pending in a mempool that has applied every block up to the tip is not committed
    // (Mempool.appliedHeight), so under load almost nothing needs a LevelDB lookup. Execution would refuse a
    // replay anyway (its nonce is used); this names it.
    const committed = await store.getTxLocations(unvouched.map((i) => txHashes[i] as Uint8Array));
    const replayed = committed.findIndex((loc) => loc !== undefined);
    if (replayed >= 0) fail(`transaction ${unvouched[replayed]} was committed before`);

    let result: BlockResult;
    try {
      result = await executeBlock(
        { chainId: chain.chainId, height, time: h.time, prevStateRoot: tip.stateRoot, txs },
        store,
      );
    } catch (err) {
      return fail((err as Error).message);
    }
    if (!equalBytes(result.stateRoot, h.stateRoot)) fail("stateRoot differs from execution");
    if (!equalBytes(result.receiptsRoot, h.receiptsRoot)) fail("receiptsRoot differs from execution");
    return { block, bytes, hash, txHashes, senders, result };
  }
}

/** What the store writes for a prepared block committed by `certificate` (encoded as `commitBytes`). */
export function blockCommit(prepared: PreparedBlock, commitBytes: Uint8Array): BlockCommit {
  const update = prepared.result.validatorUpdate;
  return {
    height: prepared.block.header.height,
    hash: prepared.hash,
    blockBytes: prepared.bytes,
    commitBytes,
    txHashes: prepared.txHashes,
    receipts: prepared.result.encodedReceipts,
    stateWrites: prepared.result.writes,
    evidence: prepared.block.evidence.map((e) => ({ id: evidenceId(e), bytes: encodeEvidence(e) })),
    ...(update
      ? { validatorSet: { fromHeight: update.effectiveHeight, set: new ValidatorSet(update.validators) } }
      : {}),
  };
}
