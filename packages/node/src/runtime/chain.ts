import {
  type Block,
  type BlockHeader,
  type CommitCertificate,
  commitHash,
  decodeBlock,
  decodeCommit,
  type Genesis,
  genesisHash,
  ValidatorSet,
} from "@hansa/core";
import { genesisState } from "../ledger/index.js";
import type { Store } from "../storage/index.js";

/**
 * The node's in-memory view of its committed tip: what building and validating the next block needs without
 * a disk read. Updated only by `advance`, which the node calls right after each committed batch.
 */
export interface Tip {
  height: number;
  hash: Uint8Array;
  /** Header of the tip block; null at genesis. */
  header: BlockHeader | null;
  stateRoot: Uint8Array;
  /** The certificate that committed the tip (goes into the next block); null at genesis. */
  commit: CommitCertificate | null;
  /** `commitHash(commit)`, kept so every proposal check does not hash it again; null at genesis. */
  commitHash: Uint8Array | null;
  time: number;
}

export class ChainView {
  private tipValue!: Tip;
  private readonly sets = new Map<number, ValidatorSet>();

  private constructor(
    readonly genesis: Genesis,
    readonly genesisHash: Uint8Array,
    private readonly store: Store,
  ) {}

  /** Opens the chain in `store`, writing genesis (state and first validator set) when the store is new. */
  static async open(genesis: Genesis, store: Store): Promise<ChainView> {
    const hash = genesisHash(genesis);
    const view = new ChainView(genesis, hash, store);
    const fresh = store.head === undefined;
    // Genesis state is only needed for a store still at height 0 (its root is the tip's state root).
    const atGenesis = fresh || store.head?.height === 0 ? await genesisState(genesis) : undefined;
    // initChain writes genesis into a new store and refuses a different genesis for an existing one.
    await store.initChain({
      chainId: genesis.chainId,
      genesisHash: hash,
      validatorSet: new ValidatorSet(genesis.validators),
      ...(fresh && atGenesis ? { stateWrites: atGenesis.writes } : {}),
    });
    const head = store.head as NonNullable<Store["head"]>;
    if (atGenesis) {
      view.tipValue = {
        height: 0,
        hash,
        header: null,
        stateRoot: atGenesis.stateRoot,
        commit: null,
        commitHash: null,
        time: genesis.genesisTime,
      };
    } else {
      const block = await view.blockAt(head.height);
      const commitBytes = await store.getCommit(head.height);
      const commit = commitBytes ? decodeCommit(commitBytes) : null;
      view.tipValue = {
        height: head.height,
        hash: head.hash,
        header: block.header,
        stateRoot: block.header.stateRoot,
        commit,
        commitHash: commit ? commitHash(commit) : null,
        time: block.header.time,
      };
    }
    return view;
  }

  get tip(): Tip {
    return this.tipValue;
  }

  get chainId(): string {
    return this.genesis.chainId;
  }

  /** `knownCommitHash` is `commitHash(commit)` when the caller has it already (block sync does). */
  advance(block: Block, hash: Uint8Array, commit: CommitCertificate, knownCommitHash?: Uint8Array): void {
    this.tipValue = {
      height: block.header.height,
      hash,
      header: block.header,
      stateRoot: block.header.stateRoot,
      commit,
      commitHash: knownCommitHash ?? commitHash(commit),
      time: block.header.time,
    };
    // Sets far behind the tip are no longer needed for validation.
    for (const h of this.sets.keys()) if (h < block.header.height - 8) this.sets.delete(h);
  }

  async blockAt(height: number): Promise<Block> {
    const bytes = await this.store.getBlock(height);
    if (!bytes) throw new Error(`block ${height} is missing from the store`);
    return decodeBlock(bytes);
  }

  /** The validator set that votes on `height` (known up to tip + 2, since changes take effect two blocks later). */
  async validatorsAt(height: number): Promise<ValidatorSet> {
    let set = this.sets.get(height);
    if (!set) {
      set = await this.store.validatorSetAt(height);
      if (height <= this.tipValue.height + 1) this.sets.set(height, set);
    }
    return set;
  }
}
