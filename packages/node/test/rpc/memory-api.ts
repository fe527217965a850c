/**
 * An in-memory NodeApi for the RPC and client tests: the boundary the server talks to. It is a tiny but
 * honest chain: real signed transactions, blocks with real Merkle roots (so inclusion proofs verify), nonces,
 * a mempool, and blocks made only when a test calls `commitBlock()`, which keeps every test deterministic.
 */
import {
  type Block,
  blockHash,
  bytesTo0x,
  decodeTransaction,
  encodeReceipt,
  equalBytes,
  evidenceRoot,
  HansaError,
  merkleRoot,
  type Receipt,
  sha256,
  type Transaction,
  transactionHash,
  ValidatorSet,
  verifyTransactionSignature,
} from "@hansa/core";
import {
  type AccountJson,
  type AccountRef,
  blockToJson,
  type ChainStatusJson,
  encodedTransactionToJson,
  type NewBlockJson,
  type NodeApi,
  NodeApiError,
  newBlockToJson,
  notFound,
  receiptToJson,
  type StateHistoryJson,
  type StateValueJson,
  type TxCommittedJson,
  type TxStatusJson,
  txInclusionProofJson,
  type Unsubscribe,
  validatorsToJson,
} from "../../src/rpc/index.js";
import type { CommittedEvidenceJson, EvidenceListJson } from "../../src/rpc/types.js";

export const CHAIN_ID = "test-chain";
const GENESIS_TIME = 1_700_000_000_000;
const ZERO_HASH = new Uint8Array(32);

interface Pending {
  encoded: Uint8Array;
  tx: Transaction;
  hash: string;
}

interface Committed {
  height: number;
  index: number;
}

export class MemoryNodeApi implements NodeApi {
  readonly validators = new ValidatorSet([{ name: "v1", publicKey: sha256(new Uint8Array([1])), power: 10 }]);
  readonly blocks: Block[] = [];
  readonly receipts: Receipt[][] = [];
  readonly pending: Pending[] = [];
  readonly committed = new Map<string, Committed>();
  readonly evicted = new Map<string, string>();
  /** Next nonce per sender (0x public key), counting committed transactions. */
  readonly nonces = new Map<string, number>();
  readonly records = new Map<string, { value: Uint8Array | null; height: number; txHash: string; writer: string }[]>();
  maxPending = 1000;
  /** Makes net_peers throw a plain Error, to test how the server treats a bug in the node. */
  brokenPeers = false;
  private readonly blockListeners = new Set<() => void>();
  private readonly txListeners = new Map<string, Set<(s: TxStatusJson) => void>>();

  get height(): number {
    return this.blocks.length;
  }

  /** Active subscriptions, to check that the server ends them. */
  get listenerCount(): number {
    let n = this.blockListeners.size;
    for (const set of this.txListeners.values()) n += set.size;
    return n;
  }

  async txSubmit(encoded: Uint8Array): Promise<{ hash: string }> {
    const tx = decodeTransaction(encoded);
    const hash = bytesTo0x(transactionHash(encoded));
    if (tx.chainId !== CHAIN_ID) {
      throw new HansaError({ code: "LEDGER_WRONG_CHAIN", expected: CHAIN_ID, got: tx.chainId }, "wrong chain id");
    }
    if (!verifyTransactionSignature(tx)) throw new HansaError({ code: "LEDGER_BAD_SIGNATURE" }, "bad signature");
    if (this.committed.has(hash)) throw new HansaError({ code: "MEMPOOL_ALREADY_COMMITTED", hash }, "committed");
    if (this.pending.some((p) => p.hash === hash)) throw new HansaError({ code: "MEMPOOL_DUPLICATE", hash }, "dup");
    const sender = bytesTo0x(tx.sender);
    const committedNonce = this.nonces.get(sender) ?? 0;
    const expected = this.pendingNonce(sender);
    if (tx.nonce < committedNonce) {
      throw new HansaError({ code: "LEDGER_NONCE_STALE", expected, got: tx.nonce }, "nonce already used");
    }
    if (tx.nonce !== expected) {
      throw new HansaError({ code: "LEDGER_NONCE_GAP", expected, got: tx.nonce }, "nonce out of order");
    }
    if (this.pending.length >= this.maxPending) {
      throw new HansaError({ code: "MEMPOOL_FULL", limit: this.maxPending }, "mempool is full");
    }
    this.pending.push({ encoded, tx, hash });
    this.emitTx(hash);
    return { hash };
  }

  async txSubmitAndWait(encoded: Uint8Array, timeoutMs: number): Promise<TxCommittedJson> {
    const { hash } = await this.txSubmit(encoded);
    return new Promise((resolve, reject) => {
      const done = (status: TxStatusJson) => {
        if (status.status === "pending") return;
        clearTimeout(timer);
        this.txListeners.get(hash)?.delete(done);
        if (status.status === "committed") resolve(status);
        else reject(new NodeApiError({ code: "TX_EVICTED", hash, reason: status.reason }, "transaction evicted"));
      };
      const timer = setTimeout(() => {
        this.txListeners.get(hash)?.delete(done);
        reject(new NodeApiError({ code: "TIMEOUT", hash, timeoutMs }, `not committed within ${timeoutMs} ms`));
      }, timeoutMs);
      this.listenTx(hash, done);
    });
  }

  async txGet(hash: Uint8Array): Promise<TxStatusJson> {
    return this.status(bytesTo0x(hash));
  }

  async blockGet(height: number | "latest"): Promise<ReturnType<typeof blockToJson>> {
    const h = height === "latest" ? this.height : height;
    const block = this.blocks[h - 1];
    if (!block) throw notFound("block", height);
    return blockToJson(block, null);
  }

  async blockGetByHash(hash: Uint8Array): Promise<ReturnType<typeof blockToJson>> {
    const block = this.blocks.find((b) => equalBytes(blockHash(b.header), hash));
    if (!block) throw notFound("block", bytesTo0x(hash));
    return blockToJson(block, null);
  }

  async chainStatus(): Promise<ChainStatusJson> {
    const latest = this.blocks.at(-1);
    return {
      chainId: CHAIN_ID,
      height: this.height,
      latestBlockHash: latest ? bytesTo0x(blockHash(latest.header)) : null,
      latestBlockTime: latest ? latest.header.time : null,
      syncing: false,
      nodeId: "12D3KooWTest",
      isValidator: true,
      peers: 3,
    };
  }

  async chainValidators(height: number | undefined): Promise<ReturnType<typeof validatorsToJson>> {
    if (height !== undefined && height > this.height + 1) throw notFound("validator set at height", height);
    return validatorsToJson(height ?? this.height + 1, this.validators);
  }

  async accountGet(account: AccountRef): Promise<AccountJson> {
    const key = account.publicKey ? bytesTo0x(account.publicKey) : undefined;
    return {
      address: account.address,
      publicKey: key ?? null,
      nonce: key ? (this.nonces.get(key) ?? 0) : 0,
      pendingNonce: key ? this.pendingNonce(key) : 0,
      organization: key ? "acme" : null,
      roles: key ? ["writer"] : [],
    };
  }

  async stateGet(namespace: string, key: string): Promise<StateValueJson> {
    const latest = this.records.get(`${namespace}/${key}`)?.at(-1);
    return {
      namespace,
      key,
      value: latest?.value ? bytesTo0x(latest.value) : null,
      height: this.height,
      stateRoot: bytesTo0x(ZERO_HASH),
      proof: "0x00",
    };
  }

  async stateHistory(namespace: string, key: string, options: { limit: number; cursor?: string }) {
    const all = [...(this.records.get(`${namespace}/${key}`) ?? [])].reverse();
    const start = options.cursor === undefined ? 0 : Number(options.cursor);
    if (!Number.isInteger(start) || start < 0) throw new HansaError({ code: "LEDGER_BAD_QUERY" }, "bad cursor");
    const page = all.slice(start, start + options.limit);
    const result: StateHistoryJson = {
      namespace,
      key,
      versions: page.map((v) => ({
        height: v.height,
        txHash: v.txHash,
        writer: v.writer,
        value: v.value ? bytesTo0x(v.value) : null,
      })),
      nextCursor: start + options.limit < all.length ? String(start + options.limit) : null,
    };
    return result;
  }

  async mempoolStatus() {
    const bytes = this.pending.reduce((n, p) => n + p.encoded.length, 0);
    return { size: this.pending.length, bytes, maxSize: this.maxPending, maxBytes: 1 << 24 };
  }

  async netPeers() {
    if (this.brokenPeers) throw new Error("peer table corrupted");
    return [{ id: "12D3KooWPeer", addresses: ["/ip4/127.0.0.1/tcp/26656"], validator: "v2" }];
  }

  /** Committed evidence as a test sets it up, in chain order. */
  readonly evidence: CommittedEvidenceJson[] = [];

  async evidenceList(from: { height: number; index: number }, limit: number): Promise<EvidenceListJson> {
    const rest = this.evidence.filter(
      (e) => e.includedHeight > from.height || (e.includedHeight === from.height && e.index >= from.index),
    );
    const after = rest[limit];
    return {
      evidence: rest.slice(0, limit),
      next: after ? { fromHeight: after.includedHeight, fromIndex: after.index } : null,
    };
  }

  subscribeBlocks(fromHeight: number | undefined, onBlock: (block: NewBlockJson) => void | Promise<void>): Unsubscribe {
    let next = fromHeight ?? this.height + 1;
    let running = false;
    let stopped = false;
    // Replays stored blocks, then each new one; one loop at a time so blocks go out in order.
    const pump = async () => {
      if (running) return;
      running = true;
      while (!stopped && next <= this.height) {
        const block = this.blocks[next - 1] as Block;
        next++;
        await onBlock(newBlockToJson(block));
      }
      running = false;
      if (!stopped && next <= this.height) void pump();
    };
    const listener = () => void pump();
    this.blockListeners.add(listener);
    // The replay starts after the subscription exists, as NodeApi asks.
    queueMicrotask(listener);
    return () => {
      stopped = true;
      this.blockListeners.delete(listener);
    };
  }

  subscribeTx(hash: Uint8Array, onUpdate: (status: TxStatusJson) => void): Unsubscribe {
    const key = bytesTo0x(hash);
    const current = this.status(key);
    this.listenTx(key, onUpdate);
    onUpdate(current);
    return () => this.txListeners.get(key)?.delete(onUpdate);
  }

  /** Commits every pending transaction (or none: an empty block) as the next block. */
  commitBlock(records: { namespace: string; key: string; value: Uint8Array | null }[] = []): Block {
    const height = this.height + 1;
    const batch = this.pending.splice(0);
    const hashes = batch.map((p) => transactionHash(p.encoded));
    const receipts: Receipt[] = hashes.map((txHash) => ({
      txHash,
      ok: true,
      code: "",
      message: "",
      result: new Uint8Array(),
    }));
    const prev = this.blocks.at(-1);
    const block: Block = {
      header: {
        chainId: CHAIN_ID,
        height,
        time: GENESIS_TIME + height * 1000,
        prevBlockHash: prev ? blockHash(prev.header) : ZERO_HASH,
        txRoot: merkleRoot(hashes),
        stateRoot: ZERO_HASH,
        receiptsRoot: merkleRoot(receipts.map(encodeReceipt)),
        evidenceRoot: evidenceRoot([]),
        validatorSetHash: this.validators.hash,
        proposer: (this.validators.validators[0] as { publicKey: Uint8Array }).publicKey,
        lastCommitHash: null,
      },
      txs: batch.map((p) => p.encoded),
      evidence: [],
      lastCommit: null,
    };
    this.blocks.push(block);
    this.receipts.push(receipts);
    batch.forEach((p, index) => {
      this.committed.set(p.hash, { height, index });
      this.nonces.set(bytesTo0x(p.tx.sender), p.tx.nonce + 1);
    });
    for (const r of records) {
      const key = `${r.namespace}/${r.key}`;
      const versions = this.records.get(key) ?? [];
      versions.push({ value: r.value, height, txHash: bytesTo0x(ZERO_HASH), writer: bytesTo0x(ZERO_HASH) });
      this.records.set(key, versions);
    }
    for (const p of batch) this.emitTx(p.hash);
    for (const listener of [...this.blockListeners]) listener();
    return block;
  }

  /** Drops a pending transaction with a reason, as a mempool does when its nonce is taken. */
  evict(hash: string, reason: string): void {
    const i = this.pending.findIndex((p) => p.hash === hash);
    if (i >= 0) this.pending.splice(i, 1);
    this.evicted.set(hash, reason);
    this.emitTx(hash);
  }

  private pendingNonce(sender: string): number {
    let nonce = this.nonces.get(sender) ?? 0;
    for (const p of this.pending) if (bytesTo0x(p.tx.sender) === sender) nonce = Math.max(nonce, p.tx.nonce + 1);
    return nonce;
  }

  private status(hash: string): TxStatusJson {
    const c = this.committed.get(hash);
    if (c) {
      const block = this.blocks[c.height - 1] as Block;
      const encoded = block.txs[c.index] as Uint8Array;
      return {
        status: "committed",
        hash,
        height: c.height,
        index: c.index,
        blockHash: bytesTo0x(blockHash(block.header)),
        tx: encodedTransactionToJson(encoded),
        receipt: receiptToJson((this.receipts[c.height - 1] as Receipt[])[c.index] as Receipt),
        proof: txInclusionProofJson(block, c.index),
      };
    }
    const p = this.pending.find((x) => x.hash === hash);
    if (p) return { status: "pending", hash, tx: encodedTransactionToJson(p.encoded) };
    const reason = this.evicted.get(hash);
    if (reason !== undefined) return { status: "evicted", hash, reason };
    throw notFound("transaction", hash);
  }

  private listenTx(hash: string, listener: (s: TxStatusJson) => void): void {
    const set = this.txListeners.get(hash) ?? new Set();
    set.add(listener);
    this.txListeners.set(hash, set);
  }

  private emitTx(hash: string): void {
    const set = this.txListeners.get(hash);
    if (!set || set.size === 0) return;
    const status = this.status(hash);
    for (const listener of [...set]) listener(status);
  }
}
