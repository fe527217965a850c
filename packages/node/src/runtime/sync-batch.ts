import { bytesToKey, type CommitCertificate, commitHash, evidenceId, ValidatorSet } from "@hansa/core";
import type { BlockCommit, StateReader, Store, TxLocation } from "../storage/index.js";
import { blockCommit, type PreparedBlock } from "./blocks.js";
import type { ChainView, Tip } from "./chain.js";

/** A synced block checked against the staged chain, waiting for its batch to be written. */
export interface StagedBlock {
  prepared: PreparedBlock;
  certificate: CommitCertificate;
  /** The certificate as the peer served it (verified, and the bytes the store keeps). */
  commitBytes: Uint8Array;
}

/**
 * Synced blocks checked but not yet written, and the chain as it will be once they are: block sync validates
 * each block on top of the previous staged one (its state writes, transactions and scheduled validator sets
 * read through this view), then writes the whole run in one synced batch (`Store.commitBlocks`), one fsync
 * instead of one per block. It reads like the committed chain and store to `BlockFactory.validate`.
 */
export class SyncBatch implements StateReader {
  private readonly staged: (StagedBlock & { commitHash: Uint8Array })[] = [];
  /** State written by the staged blocks, latest value per key (null: deleted). */
  private readonly state = new Map<string, Uint8Array | null>();
  /** Transactions of the staged blocks, by hash. */
  private readonly txs = new Map<string, TxLocation>();
  /** Evidence of the staged blocks, by id: the height that records it. */
  private readonly evidence = new Map<string, number>();
  /** Validator sets the staged blocks scheduled, by first height, ascending. */
  private readonly sets: { fromHeight: number; set: ValidatorSet }[] = [];
  private tipValue: Tip | undefined;

  constructor(
    private readonly chain: ChainView,
    private readonly store: Store,
  ) {}

  get size(): number {
    return this.staged.length;
  }

  /** The staged blocks in height order, each with `commitHash(certificate)`. */
  get blocks(): readonly (StagedBlock & { commitHash: Uint8Array })[] {
    return this.staged;
  }

  // ---- the chain view validate reads ------------------------------------------------------------------

  get tip(): Tip {
    return this.tipValue ?? this.chain.tip;
  }

  get genesis(): ChainView["genesis"] {
    return this.chain.genesis;
  }

  get chainId(): string {
    return this.chain.chainId;
  }

  async validatorsAt(height: number): Promise<ValidatorSet> {
    // A set staged here was scheduled after every committed one, so the latest staged set at or below
    // `height` wins over the store's.
    for (let i = this.sets.length - 1; i >= 0; i--) {
      const entry = this.sets[i] as { fromHeight: number; set: ValidatorSet };
      if (entry.fromHeight <= height) return entry.set;
    }
    return this.chain.validatorsAt(height);
  }

  // ---- the store view validate reads ------------------------------------------------------------------

  get(key: Uint8Array, id = bytesToKey(key)): Uint8Array | undefined {
    const staged = this.state.get(id);
    if (staged !== undefined) return staged ?? undefined;
    return this.store.get(key, id);
  }

  async getEvidenceHeight(id: Uint8Array): Promise<number | undefined> {
    return this.evidence.get(bytesToKey(id)) ?? this.store.getEvidenceHeight(id);
  }

  async getTxLocations(txHashes: readonly Uint8Array[]): Promise<(TxLocation | undefined)[]> {
    const committed = await this.store.getTxLocations(txHashes);
    return txHashes.map((hash, i) => committed[i] ?? this.txs.get(bytesToKey(hash)));
  }

  // ---- staging and writing ----------------------------------------------------------------------------

  /** Adds a block validated on top of this view; the next one validates on top of it. */
  add(block: StagedBlock): void {
    const { prepared, certificate } = block;
    const header = prepared.block.header;
    const hash = commitHash(certificate);
    this.staged.push({ ...block, commitHash: hash });
    for (const w of prepared.result.writes) this.state.set(bytesToKey(w.key), w.value);
    prepared.txHashes.forEach((hash, index) => {
      this.txs.set(bytesToKey(hash), { height: header.height, index });
    });
    for (const e of prepared.block.evidence) this.evidence.set(bytesToKey(evidenceId(e)), header.height);
    const update = prepared.result.validatorUpdate;
    if (update) this.sets.push({ fromHeight: update.effectiveHeight, set: new ValidatorSet(update.validators) });
    this.tipValue = {
      height: header.height,
      hash: prepared.hash,
      header,
      stateRoot: header.stateRoot,
      commit: certificate,
      commitHash: hash,
      time: header.time,
    };
  }

  /** What `Store.commitBlocks` writes for the staged blocks, in height order. */
  commits(): BlockCommit[] {
    return this.staged.map(({ prepared, commitBytes }) => blockCommit(prepared, commitBytes));
  }

  /** Forgets everything staged (after it was written, or when it must be dropped). */
  clear(): void {
    this.staged.length = 0;
    this.state.clear();
    this.txs.clear();
    this.evidence.clear();
    this.sets.length = 0;
    this.tipValue = undefined;
  }
}
