import { bytesTo0x, equalBytes, hexToBytes, isHansaError } from "@hansa/core";
import { createNetwork, type HansaNetwork, type PeerInfo } from "@hansa/p2p";
import { homePath } from "../config/config.js";
import type { LoadedHome } from "../config/home.js";
import { checkTransaction, nextNonce } from "../ledger/index.js";
import { createMempool, type Mempool } from "../mempool/index.js";
import { createLogger, createMetrics, type Logger, type Metrics } from "../observability/index.js";
import { RpcServer } from "../rpc/index.js";
import { openStore, type Store } from "../storage/index.js";
import { BlockFactory, type PreparedBlock } from "./blocks.js";
import { ChainView } from "./chain.js";
import { ConsensusHost } from "./consensus-host.js";
import { BlockFeed, HansaNodeApi } from "./node-api.js";

/** Mempool rejections that prove a peer sent garbage (not merely a transaction that lost a race). */
const PEER_FAULTS = new Set(["MEMPOOL_MALFORMED", "MEMPOOL_BAD_SIGNATURE", "MEMPOOL_WRONG_CHAIN", "MEMPOOL_TX_TOO_LARGE"]);

/** How long a node with an empty store listens for peers' heights before deciding it is a new chain. */
const FRESH_STORE_PEER_WAIT_MS = 3_000;

export interface HansaNodeModules {
  logger?: Logger;
  metrics?: Metrics;
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

  constructor(
    private readonly home: LoadedHome,
    modules: HansaNodeModules = {},
  ) {
    this.logger = modules.logger ?? createLogger({ level: home.config.log.level, name: home.config.moniker });
    this.metrics = modules.metrics ?? createMetrics({ defaultMetrics: true });
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
          check: (tx, expectedNonce) => checkTransaction(tx, store, { expectedNonce, signatureVerified: true }),
        },
        logger: logger.child({ module: "mempool" }),
      },
    );

    const allowList = [...genesis.validators.map((v) => v.publicKey), ...config.p2p.observers.map((k) => hexToBytes(k))];
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
            (await store.syncRange({ fromHeight: from, toHeight: to })).map((e) => ({ block: e.blockBytes, commit: e.commitBytes })),
        },
      },
    );

    const isValidator = genesis.validators.some((v) => equalBytes(v.publicKey, publicKey));
    this.host = new ConsensusHost(
      { ...(isValidator ? { secretKey } : {}), publicKey },
      {
        chain,
        store,
        blocks: new BlockFactory({ chain, store, mempool: this.mempool }),
        mempool: this.mempool,
        network: this.network,
        logger: logger.child({ module: "consensus" }),
        metrics: this.metrics,
        onCommitted: (prepared, _certificate) => this.onCommitted(prepared),
      },
    );
    this.wireNetwork();

    this.mempool.start();
    await this.network.start();
    this.rpc = new RpcServer(
      { host: config.rpc.host, port: config.rpc.port, maxRequestBytes: config.rpc.maxRequestBytes, maxBatch: config.rpc.maxBatch },
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
      },
    );
    await this.rpc.start();

    const vote = isValidator && !(freshStore && (await this.peersAlreadyRunning()));
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
    if (this.home.config.p2p.peers.length === 0) return false;
    const deadline = Date.now() + FRESH_STORE_PEER_WAIT_MS;
    while (Date.now() < deadline && this.network.peerHeights().size === 0) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const heights = [...this.network.peerHeights().values()];
    const top = heights.length > 0 ? Math.max(...heights) : 0;
    if (top === 0) return false;
    this.holdVotingUntil = top + 1;
    this.logger.warn("empty store while peers are at a later height: syncing, voting resumes after a height without us", {
      peerHeight: top,
      resumeVotingAt: this.holdVotingUntil + 1,
    });
    this.host.syncTo(top);
    return true;
  }

  private wireNetwork(): void {
    const { network, host, mempool, chain, logger } = this;
    network.onConsensus((msg, from) => host.onConsensusMessage(msg, from));
    network.onBlock((msg) => host.onBlockBody(msg));
    network.onTxs(async (txs, from) => {
      let admitted = 0;
      for (const tx of txs) {
        try {
          await mempool.add(tx, "gossip");
          admitted++;
        } catch (err) {
          if (isHansaError(err) && PEER_FAULTS.has(err.code)) {
            network.reportInvalid(from as PeerInfo, `${err.code}: ${err.message}`);
            return;
          }
        }
      }
      if (admitted > 0) host.onTransactions();
    });
    network.onPeerHeight((height) => {
      // One block behind is normal while a commit propagates; two means this node missed blocks.
      if (height > chain.tip.height + 1) host.syncTo(height);
    });
    mempool.onAdmitted((batch) => network.broadcastTxs([...batch]));
    logger.debug("network wired");
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
      this.logger.info("voting resumes", { fromHeight: header.height + 1 });
      this.host.enableVoting();
    }
  }

  private lastBlockTime: number | undefined;

  async stop(): Promise<void> {
    await this.rpc?.stop();
    await this.host?.stop();
    this.mempool?.stop();
    await this.network?.stop();
    await this.store?.close();
    this.logger.info("node stopped", { height: this.chain?.tip.height });
  }
}
