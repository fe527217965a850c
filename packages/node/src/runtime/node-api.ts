import {
  addressBytesFromPublicKey,
  addressFromPublicKey,
  addressToBytes,
  blockHash,
  bytesTo0x,
  decodeBlock,
  decodeCommit,
  decodeEvidence,
  decodeReceipt,
  equalBytes,
  HansaError,
} from "@hansa/core";
import type { HansaNetwork } from "@hansa/p2p";
import {
  decodeRecordEntry,
  getAccount,
  getHistory,
  getNamespace,
  LedgerError,
  LedgerErrorCode,
  nextNonce,
  proveRecord,
} from "../ledger/index.js";
import type { Mempool } from "../mempool/index.js";
import {
  type AccountJson,
  type AccountRef,
  type BlockJson,
  blockToJson,
  type ChainStatusJson,
  type EvidenceListJson,
  encodedTransactionToJson,
  evidenceToJson,
  type MempoolStatusJson,
  type NewBlockJson,
  type NodeApi,
  NodeApiError,
  newBlockToJson,
  notFound,
  type PeerJson,
  receiptToJson,
  type StateHistoryJson,
  type StateValueJson,
  type TxCommittedJson,
  type TxStatusJson,
  txInclusionProofJson,
  type Unsubscribe,
  type ValidatorsJson,
  validatorsToJson,
} from "../rpc/index.js";
import type { Store } from "../storage/index.js";
import type { ChainView } from "./chain.js";
import type { ConsensusHost } from "./consensus-host.js";

export interface NodeApiModules {
  chain: ChainView;
  store: Store;
  mempool: Mempool;
  network: HansaNetwork;
  host: ConsensusHost;
  /** Called for each committed block, in order; the node feeds it. */
  blockFeed: BlockFeed;
  mempoolLimits: { maxTxs: number; maxBytes: number };
}

/** Fans each committed block out to RPC subscribers. */
export class BlockFeed {
  private readonly listeners = new Set<(height: number) => void>();

  publish(height: number): void {
    for (const l of [...this.listeners]) l(height);
  }

  listen(listener: (height: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The node's answers to JSON-RPC: reads from the store and ledger, writes through the mempool. */
export class HansaNodeApi implements NodeApi {
  constructor(private readonly m: NodeApiModules) {}

  async txSubmit(tx: Uint8Array): Promise<{ hash: string }> {
    const { hash } = await this.m.mempool.add(tx);
    this.m.host.onTransactions();
    return { hash: bytesTo0x(hash) };
  }

  async txSubmitAndWait(tx: Uint8Array, timeoutMs: number): Promise<TxCommittedJson> {
    const { hash } = await this.m.mempool.add(tx);
    this.m.host.onTransactions();
    const status = await this.m.mempool.waitFor(hash, timeoutMs);
    if (status.status === "committed") return this.committed(hash, status.height, status.index);
    if (status.status === "evicted") {
      throw new NodeApiError({ code: "TX_EVICTED", hash: bytesTo0x(hash), reason: status.reason }, status.message);
    }
    throw new NodeApiError(
      { code: "TIMEOUT", hash: bytesTo0x(hash), timeoutMs },
      `not committed within ${timeoutMs} ms; poll tx_get`,
    );
  }

  async txGet(hash: Uint8Array): Promise<TxStatusJson> {
    const status = await this.m.mempool.status(hash);
    switch (status.status) {
      case "committed":
        return this.committed(hash, status.height, status.index);
      case "pending": {
        const pending = this.m.mempool.getPending(hash);
        if (pending) return { status: "pending", hash: bytesTo0x(hash), tx: encodedTransactionToJson(pending.bytes) };
        break;
      }
      case "evicted":
        return { status: "evicted", hash: bytesTo0x(hash), reason: `${status.reason}: ${status.message}` };
    }
    // It may have committed between the two reads.
    const location = await this.m.store.getTxLocation(hash);
    if (location) return this.committed(hash, location.height, location.index);
    throw notFound("transaction", bytesTo0x(hash));
  }

  private async committed(hash: Uint8Array, height: number, index: number): Promise<TxCommittedJson> {
    const blockBytes = await this.m.store.getBlock(height);
    const receiptBytes = await this.m.store.getReceiptAt(height, index);
    if (!blockBytes || !receiptBytes) throw notFound("transaction", bytesTo0x(hash));
    const block = decodeBlock(blockBytes);
    const encoded = block.txs[index] as Uint8Array;
    const header = block.header;
    return {
      status: "committed",
      hash: bytesTo0x(hash),
      height,
      index,
      blockHash: bytesTo0x(blockHash(header)),
      tx: encodedTransactionToJson(encoded),
      receipt: receiptToJson(decodeReceipt(receiptBytes)),
      proof: txInclusionProofJson(block, index),
    };
  }

  private async blockJson(height: number): Promise<BlockJson> {
    const bytes = await this.m.store.getBlock(height);
    if (!bytes) throw notFound("block", height);
    const commit = await this.m.store.getCommit(height);
    return blockToJson(decodeBlock(bytes), commit ? decodeCommit(commit) : null);
  }

  async blockGet(height: number | "latest"): Promise<BlockJson> {
    const h = height === "latest" ? this.m.chain.tip.height : height;
    if (h < 1) throw notFound("block", height);
    return this.blockJson(h);
  }

  async blockGetByHash(hash: Uint8Array): Promise<BlockJson> {
    const height = await this.m.store.getHeightByHash(hash);
    if (height === undefined || height < 1) throw notFound("block", bytesTo0x(hash));
    return this.blockJson(height);
  }

  async chainStatus(): Promise<ChainStatusJson> {
    const tip = this.m.chain.tip;
    return {
      chainId: this.m.chain.chainId,
      height: tip.height,
      latestBlockHash: tip.height > 0 ? bytesTo0x(tip.hash) : null,
      latestBlockTime: tip.height > 0 ? tip.time : null,
      syncing: this.m.host.isSyncing,
      nodeId: this.m.network.peerId,
      isValidator: this.m.host.isVoting,
      peers: this.m.network.peerCount(),
    };
  }

  async chainValidators(height: number | undefined): Promise<ValidatorsJson> {
    const tip = this.m.chain.tip.height;
    const h = height ?? tip + 1;
    if (h < 1 || h > tip + 2) throw notFound("validator set at height", h);
    return validatorsToJson(h, await this.m.chain.validatorsAt(h));
  }

  async accountGet(account: AccountRef): Promise<AccountJson> {
    const addressBytes = addressToBytes(account.address);
    let publicKey = account.publicKey;
    if (publicKey && !equalBytes(addressBytesFromPublicKey(publicKey), addressBytes)) {
      throw new HansaError({ code: "ADDRESS_INVALID", address: account.address }, "publicKey does not match address");
    }
    // Accounts are keyed by public key; an address alone resolves through the genesis members and validators.
    publicKey ??= this.lookupKey(addressBytes);
    if (!publicKey) {
      return { address: account.address, publicKey: null, nonce: 0, pendingNonce: 0, organization: null, roles: [] };
    }
    const info = await getAccount(this.m.store, publicKey);
    const nonce = info?.nonce ?? (await nextNonce(this.m.store, publicKey));
    return {
      address: addressFromPublicKey(publicKey),
      publicKey: bytesTo0x(publicKey),
      nonce,
      pendingNonce: Math.max(nonce, this.m.mempool.pendingNonce(publicKey) ?? nonce),
      organization: info?.organization ?? null,
      roles: info?.roles ?? [],
    };
  }

  private lookupKey(addressBytes: Uint8Array): Uint8Array | undefined {
    const g = this.m.chain.genesis;
    const keys = [
      ...g.validators.map((v) => v.publicKey),
      ...g.organizations.flatMap((o) => o.members.map((m) => m.publicKey)),
    ];
    return keys.find((k) => equalBytes(addressBytesFromPublicKey(k), addressBytes));
  }

  /** A read of an unknown namespace is an error, so a typo in a namespace never looks like an absent key. */
  private async requireNamespace(namespace: string): Promise<void> {
    if (!(await getNamespace(this.m.store, namespace))) {
      throw new LedgerError({ code: LedgerErrorCode.UNKNOWN_NAMESPACE }, `no namespace "${namespace}"`);
    }
  }

  async stateGet(namespace: string, key: string): Promise<StateValueJson> {
    await this.requireNamespace(namespace);
    const p = await proveRecord(this.m.store, namespace, key);
    const entry = p.value ? decodeRecordEntry(p.value) : null;
    return {
      namespace,
      key,
      value: entry?.value ? bytesTo0x(entry.value) : null,
      height: p.height,
      stateRoot: bytesTo0x(p.stateRoot),
      proof: bytesTo0x(p.proof),
      entry: p.value ? bytesTo0x(p.value) : null,
    };
  }

  async stateHistory(
    namespace: string,
    key: string,
    options: { limit: number; cursor?: string },
  ): Promise<StateHistoryJson> {
    await this.requireNamespace(namespace);
    let cursor: number | undefined;
    if (options.cursor !== undefined) {
      cursor = Number(options.cursor);
      if (!/^\d+$/.test(options.cursor) || !Number.isSafeInteger(cursor)) {
        throw new HansaError({ code: "LEDGER_BAD_QUERY" }, "cursor must be a version number from nextCursor");
      }
    }
    const page = await getHistory(this.m.store, {
      namespace,
      key,
      limit: options.limit,
      ...(cursor === undefined ? {} : { cursor }),
    });
    return {
      namespace,
      key,
      versions: page.versions.map((v) => ({
        height: v.height,
        txHash: bytesTo0x(v.txHash),
        writer: bytesTo0x(v.writer),
        value: v.value ? bytesTo0x(v.value) : null,
      })),
      nextCursor: page.nextCursor === null ? null : String(page.nextCursor),
    };
  }

  async mempoolStatus(): Promise<MempoolStatusJson> {
    return {
      size: this.m.mempool.size,
      bytes: this.m.mempool.bytes,
      maxSize: this.m.mempoolLimits.maxTxs,
      maxBytes: this.m.mempoolLimits.maxBytes,
    };
  }

  async netPeers(): Promise<PeerJson[]> {
    const validators = this.m.chain.genesis.validators;
    return this.m.network.peers().map((p) => ({
      id: p.peerId,
      addresses: p.addrs,
      validator: validators.find((v) => equalBytes(v.publicKey, p.publicKey))?.name ?? null,
    }));
  }

  async evidenceList(from: { height: number; index: number }, limit: number): Promise<EvidenceListJson> {
    const entries = await this.m.store.listEvidence(from, limit + 1);
    const page = entries.slice(0, limit);
    const after = entries[limit];
    return {
      evidence: page.map((e) => ({
        ...evidenceToJson(decodeEvidence(e.bytes)),
        includedHeight: e.height,
        index: e.index,
      })),
      next: after ? { fromHeight: after.height, fromIndex: after.index } : null,
    };
  }

  subscribeBlocks(fromHeight: number | undefined, onBlock: (block: NewBlockJson) => void | Promise<void>): Unsubscribe {
    let next = fromHeight ?? this.m.chain.tip.height + 1;
    if (next < 1) next = 1;
    let running = false;
    let stopped = false;
    // One pump delivers stored blocks, then each new one, in order, with no gap or repeat.
    const pump = async () => {
      if (running) return;
      running = true;
      try {
        while (!stopped && next <= this.m.chain.tip.height) {
          const bytes = await this.m.store.getBlock(next);
          if (!bytes) break;
          next++;
          await onBlock(newBlockToJson(decodeBlock(bytes)));
        }
      } finally {
        running = false;
      }
      if (!stopped && next <= this.m.chain.tip.height) void pump();
    };
    const unlisten = this.m.blockFeed.listen(() => void pump());
    queueMicrotask(() => void pump());
    return () => {
      stopped = true;
      unlisten();
    };
  }

  subscribeTx(hash: Uint8Array, onUpdate: (status: TxStatusJson) => void): Unsubscribe {
    let stopped = false;
    const report = async () => {
      try {
        const status = await this.txGet(hash);
        if (!stopped) onUpdate(status);
        return status.status;
      } catch {
        return "unknown";
      }
    };
    void (async () => {
      const first = await report();
      if (first === "committed" || first === "evicted") return;
      const status = await this.m.mempool.waitFor(hash, 24 * 3600_000);
      if (!stopped && status.status !== "unknown" && status.status !== "pending") await report();
    })();
    return () => {
      stopped = true;
    };
  }
}
