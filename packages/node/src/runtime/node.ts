import { bytesTo0x, bytesToHex, decodeCommit, hexToBytes, isHansaError, type ValidatorSet } from "@hansa/core";
import { createNetwork, type HansaNetwork, type PeerInfo } from "@hansa/p2p";
import { homePath } from "../config/config.js";
import type { LoadedHome } from "../config/home.js";
import { checkTransaction, nextNonce } from "../ledger/index.js";
import { createMempool, type Mempool } from "../mempool/index.js";
import { createLogger, createMetrics, type Logger, type Metrics } from "../observability/index.js";
import { RpcServer } from "../rpc/index.js";
import { openStore, type Store } from "../storage/index.js";
import { Equivocator, type NetworkFaults, testRpcMethods } from "../testing/index.js";
import { BlockFactory, type PreparedBlock } from "./blocks.js";
import { ChainView } from "./chain.js";
import { ConsensusHost } from "./consensus-host.js";
import { EvidencePool } from "./evidence-pool.js";
import { BlockFeed, HansaNodeApi } from "./node-api.js";

/** Mempool rejections that prove a peer sent garbage (not merely a transaction that lost a race). */
const PEER_FAULTS = new Set([
  "MEMPOOL_MALFORMED",
  "MEMPOOL_BAD_SIGNATURE",
  "MEMPOOL_WRONG_CHAIN",
  "MEMPOOL_TX_TOO_LARGE",
]);

/** How long a node with an empty store listens for peers' heights before deciding it is a new chain. */
const FRESH_STORE_PEER_WAIT_MS = 3_000;

export interface HansaNodeModules {
  logger?: Logger;
  metrics?: Metrics;
  /** Fault-test instruments; a production node has none (see `hansa start` and docs/reliability.md). */
  testHooks?: TestHooks;
}

export interface TestHooks {
  /** Injected network and clock faults, set over JSON-RPC with `test_setFaults`. */
  faults?: NetworkFaults;
  /** Makes this validator sign a conflicting message beside every one it sends. */
  equivocate?: boolean;
}

/**
 * One validator (or observer): LevelDB store, ledger, mempool, consensus, p2p and JSON-RPC, wired together.
 * `start` resumes from the store (replaying the consensus WAL so it never signs twice); `stop` closes
 * everything in reverse order.
 */
export class HansaNode {
  readonly logger: Logger;
  readonly metrics: Metrics;
  private store!: Store;
  private chain!: ChainView;
  private mempool!: Mempool;
  private network!: HansaNetwork;
  private host!: ConsensusHost;
  private rpc!: RpcServer;
  private readonly feed = new BlockFeed();
  /** Voting stays off until this height commits: a validator that lost its store must not sign again. */
  private holdVotingUntil = 0;
  private readonly testHooks: TestHooks;

  constructor(
    private readonly home: LoadedHome,
    modules: HansaNodeModules = {},
  ) {
    this.logger = modules.logger ?? createLogger({ level: home.config.log.level, name: home.config.moniker });
    this.metrics = modules.metrics ?? createMetrics({ defaultMetrics: true });
    this.testHooks = modules.testHooks ?? {};
  }

  get rpcUrl(): string {
    return this.rpc.url;
  }

  get height(): number {
    return this.chain.tip.height;
  }

  get p2pAddrs(): string[] {
    return this.network.listenAddrs();
  }

  async start(): Promise<void> {
    const { config, genesis, secretKey, publicKey } = this.home;
    const logger = this.logger;
    this.store = await openStore({ directory: homePath(this.home.home, config.dataDir) });
    const freshStore = this.store.head === undefined;
    this.chain = await ChainView.open(genesis, this.store);
    const chain = this.chain;
    const store = this.store;

    this.mempool = createMempool(
      { chainId: genesis.chainId, maxTxs: config.mempool.maxTxs, maxBytes: config.mempool.maxBytes },
      {
        store,
        ledger: {
          nextNonce: (sender) => nextNonce(store, sender),
          check: (tx, expectedNonce, { dryRun }) =>
            checkTransaction(tx, store, { expectedNonce, signatureVerified: true, dryRun }),
        },
        logger: logger.child({ module: "mempool" }),
      },
    );

    const allowList = [
      ...genesis.validators.map((v) => v.publicKey),
      ...config.p2p.observers.map((k) => hexToBytes(k)),
    ];
    this.network = createNetwork(
      {
        chainId: genesis.chainId,
        secretKey,
        listen: config.p2p.listen,
        peers: config.p2p.peers.map((p) => ({ publicKey: hexToBytes(p.publicKey), addrs: p.addrs })),
        allowList,
      },
      {
        logger: logger.child({ module: "p2p" }),
        blockSource: {
          latestHeight: () => chain.tip.height,
          getBlocks: async (from, to) =>
            (await store.syncRange({ fromHeight: from, toHeight: to })).map((e) => ({
              block: e.blockBytes,
              commit: e.commitBytes,
            })),
        },
      },
    );

    // The key signs whenever it is in a height's validator set, so a validator added by governance starts
    // voting at the height its set takes effect; the engine checks membership for every vote it signs.
    const nextSet = await chain.validatorsAt(chain.tip.height + 1);
    const isValidator = nextSet.has(publicKey);
    const evidence = new EvidencePool();
    const { faults, equivocate } = this.testHooks;
    if (faults || equivocate) logger.warn("TEST HOOKS ENABLED: this node is for fault tests only", { equivocate });
    if (faults) faults.onChange(() => this.applyAllowList());
    this.host = new ConsensusHost(
      { secretKey, publicKey },
      {
        chain,
        store,
        blocks: new BlockFactory({
          chain,
          store,
          mempool: this.mempool,
          evidence,
          ...(faults ? { now: () => faults.now() } : {}),
        }),
        ...(equivocate ? { equivocator: new Equivocator(genesis.chainId, secretKey) } : {}),
        mempool: this.mempool,
        evidence,
        network: this.network,
        logger: logger.child({ module: "consensus" }),
        metrics: this.metrics,
        onCommitted: (prepared, _certificate) => this.onCommitted(prepared),
        onHeightStarted: (_height, validators) => this.updateAllowList(validators),
      },
    );
    this.wireNetwork();

    this.mempool.start();
    await this.network.start();
    this.rpc = new RpcServer(
      {
        host: config.rpc.host,
        port: config.rpc.port,
        maxRequestBytes: config.rpc.maxRequestBytes,
        maxBatch: config.rpc.maxBatch,
      },
      {
        api: new HansaNodeApi({
          chain,
          store,
          mempool: this.mempool,
          network: this.network,
          host: this.host,
          blockFeed: this.feed,
          mempoolLimits: config.mempool,
        }),
        logger,
        metrics: this.metrics,
        ...(faults ? { extraMethods: testRpcMethods(faults) } : {}),
      },
    );
    await this.rpc.start();

    const vote = !(freshStore && (await this.peersAlreadyRunning()));
    await this.host.start({ vote });
    logger.info("node started", {
      moniker: config.moniker,
      chainId: genesis.chainId,
      height: chain.tip.height,
      validator: isValidator,
      voting: vote,
      rpc: this.rpc.url,
      p2p: this.network.listenAddrs(),
    });
  }

  /**
   * A validator whose store is empty while its peers are past genesis may have lost its disk: it may have
   * signed votes at the heights being decided now. It syncs, then stays silent until one more height
   * commits without it, so nothing it signs can conflict with what it signed before.
   */
  private async peersAlreadyRunning(): Promise<boolean> {
    const peers = this.home.config.p2p.peers.length;
    if (peers === 0) return false;
    const deadline = Date.now() + FRESH_STORE_PEER_WAIT_MS;
    const heard = () => this.network.peerHeights().size;
    const topHeight = () => Math.max(0, ...this.network.peerHeights().values());
    while (Date.now() < deadline && heard() === 0) await new Promise((r) => setTimeout(r, 100));
    if (topHeight() === 0) return false;
    // The chain is running: hear every configured peer (until the deadline), not only the first to answer.
    // One that is a block behind would end the hold a height early, at a height this validator may have
    // signed before it lost its store.
    while (Date.now() < deadline && heard() < peers) await new Promise((r) => setTimeout(r, 100));
    const top = topHeight();
    this.holdVotingUntil = top + 1;
    this.logger.warn(
      "empty store while peers are at a later height: syncing, voting resumes after a height without us",
      {
        peerHeight: top,
        resumeVotingAt: this.holdVotingUntil + 1,
      },
    );
    this.host.syncTo(top);
    return true;
  }

  private wireNetwork(): void {
    const { network, host, mempool, chain, logger } = this;
    // A fault test's injected delay and loss sit between the network and everything it delivers.
    const faults = this.testHooks.faults;
    const receive = faults ? (deliver: () => void) => faults.receive(deliver) : (deliver: () => void) => deliver();
    network.onConsensus((msg, from) => receive(() => host.onConsensusMessage(msg, from)));
    network.onBlock((msg) => receive(() => host.onBlockBody(msg)));
    network.onTxs((txs, from) =>
      faults ? faults.receive(() => void this.admitGossip(txs, from)) : this.admitGossip(txs, from),
    );
    network.onPeerHeight((height) => {
      // One block behind is normal while a commit propagates; two means this node missed blocks.
      if (height > chain.tip.height + 1) host.syncTo(height);
    });
    mempool.onAdmitted((batch) => network.broadcastTxs([...batch]));
    logger.debug("network wired");
  }

  private async admitGossip(txs: readonly Uint8Array[], from: PeerInfo): Promise<void> {
    const { network, host, mempool } = this;
    let admitted = 0;
    for (const tx of txs) {
      try {
        await mempool.add(tx, "gossip");
        admitted++;
      } catch (err) {
        if (isHansaError(err) && PEER_FAULTS.has(err.code)) {
          network.reportInvalid(from, `${err.code}: ${err.message}`);
          return;
        }
      }
    }
    if (admitted > 0) host.onTransactions();
  }

  private onCommitted(prepared: PreparedBlock): void {
    const header = prepared.block.header;
    const previous = this.lastBlockTime;
    this.lastBlockTime = header.time;
    this.metrics.height.set(header.height);
    this.metrics.committedTxsTotal.inc(prepared.txHashes.length);
    if (previous !== undefined) this.metrics.blockTimeSeconds.observe((header.time - previous) / 1000);
    this.metrics.mempoolSize.set(this.mempool.size);
    this.metrics.mempoolBytes.set(this.mempool.bytes);
    this.metrics.peers.set(this.network.peerCount());
    this.feed.publish(header.height);
    this.logger.info("block committed", {
      height: header.height,
      hash: bytesTo0x(prepared.hash),
      txs: prepared.txHashes.length,
    });
    if (this.holdVotingUntil > 0 && header.height >= this.holdVotingUntil) {
      this.holdVotingUntil = 0;
      void this.resumeVotingAfterCheck(header.height);
    }
  }

  /** How many recent certificates a validator that lost its store reads for its own signatures. */
  private static readonly SIGNATURE_LOOKBACK = 64;

  /**
   * Before a validator that lost its store votes again, it reads the recent commit certificates for its
   * own signatures: the last height it signed (before the loss) must lie below the heights it now sits
   * out, which is what makes its next vote safe. A signature at the current height would mean it voted here
   * while holding back, a bug: it then keeps holding for one more height.
   */
  private async resumeVotingAfterCheck(height: number): Promise<void> {
    const { publicKey } = this.home;
    let lastSigned = 0;
    for (let h = height; h > Math.max(0, height - HansaNode.SIGNATURE_LOOKBACK); h--) {
      const bytes = await this.store.getCommit(h);
      if (!bytes) continue;
      const set = await this.chain.validatorsAt(h);
      const index = set.indexOf(publicKey);
      if (index >= 0 && decodeCommit(bytes).signatures.some((s) => s.validatorIndex === index)) {
        lastSigned = h;
        break;
      }
    }
    if (lastSigned >= height) {
      this.logger.error("own signature found at a height this node sat out; holding one more height", { height });
      this.holdVotingUntil = height + 1;
      return;
    }
    this.logger.info("voting resumes", { fromHeight: height + 1, lastSignedHeight: lastSigned || null });
    this.host.enableVoting();
  }

  private lastBlockTime: number | undefined;
  /** Peers the chain allows (hex keys), and the subset the network was last told to allow. */
  private permitted = new Set<string>();
  private allowed = new Set<string>();

  /**
   * Peers allowed to connect: every validator of genesis and of the current set, plus configured observers.
   * Governance can add a validator; it must be able to connect from the height its set takes effect.
   */
  private updateAllowList(validators: ValidatorSet): void {
    const keys = [
      ...this.home.genesis.validators.map((v) => v.publicKey),
      ...validators.validators.map((v) => v.publicKey),
      ...this.home.config.p2p.observers.map((k) => hexToBytes(k)),
    ];
    this.permitted = new Set(keys.map(bytesToHex));
    this.applyAllowList();
  }

  /** Tells the network the permitted peers, minus those a fault test cut this node off from. */
  private applyAllowList(): void {
    const faults = this.testHooks.faults;
    const ids = new Set([...this.permitted].filter((id) => !faults?.isBlocked(hexToBytes(id))));
    if (ids.size === this.allowed.size && [...ids].every((id) => this.allowed.has(id))) return;
    this.allowed = ids;
    this.network.setAllowList([...ids].map((id) => hexToBytes(id)));
    this.logger.info("peer allow-list updated", { size: ids.size });
  }

  async stop(): Promise<void> {
    await this.rpc?.stop();
    await this.host?.stop();
    this.mempool?.stop();
    await this.network?.stop();
    await this.store?.close();
    this.logger.info("node stopped", { height: this.chain?.tip.height });
  }
}
