import type { PeerId } from "@libp2p/interface";
import { peerIdFromPrivateKey, peerIdFromString } from "@libp2p/peer-id";
import { BlockChannel } from "./direct/block-channel.js";
import { ConsensusChannel } from "./direct/consensus-channel.js";
import { P2pError } from "./errors.js";
import { TxGossip } from "./gossip/tx-gossip.js";
import { Handlers } from "./handlers.js";
import { AllowList } from "./identity/allow-list.js";
import { createGater } from "./identity/gater.js";
import { libp2pKeyFromSecret, peerIdFromKey, publicKeyOfPeer } from "./identity/keys.js";
import { createLibp2pNode, type HansaLibp2p } from "./libp2p-node.js";
import { type NetworkLimits, resolveLimits } from "./limits.js";
import { silentLogger } from "./logger.js";
import { validateOptions } from "./options.js";
import { PeerBook } from "./peers/peer-book.js";
import { Redialer } from "./peers/redialer.js";
import { type Protocols, protocolsFor } from "./protocols.js";
import { SyncClient } from "./sync/client.js";
import { startSyncServer } from "./sync/server.js";
import type {
  BlockMessage,
  ConsensusMessage,
  Handler,
  HansaNetwork,
  Logger,
  NetworkComponents,
  NetworkOptions,
  PeerInfo,
  PeerStats,
  SyncedBlock,
  Unsubscribe,
  VerifyBlock,
} from "./types.js";

/** Everything that exists only while the network runs. */
interface Running {
  libp2p: HansaLibp2p;
  txs: TxGossip;
  consensus: ConsensusChannel;
  blocks: BlockChannel;
  sync: SyncClient;
  redialer: Redialer;
  statusTimer: NodeJS.Timeout;
}

/** Creates the node's network; nothing listens or dials until `start()`. */
export function createNetwork(options: NetworkOptions, components: NetworkComponents): HansaNetwork {
  return new Network(options, components);
}

class Network implements HansaNetwork {
  readonly peerId: string;
  private readonly limits: NetworkLimits;
  private readonly logger: Logger;
  private readonly allowList: AllowList;
  private readonly peerBook: PeerBook;
  private readonly protocols: Protocols;
  private readonly txHandlers: Handlers<[Uint8Array[], PeerInfo]>;
  private readonly consensusHandlers: Handlers<[ConsensusMessage, PeerInfo]>;
  private readonly blockHandlers: Handlers<[BlockMessage, PeerInfo]>;
  private readonly heightHandlers: Handlers<[number, PeerInfo]>;
  private running: Running | undefined;
  private starting: Promise<void> | undefined;
  private lastAnnounced = -1;

  constructor(
    private readonly options: NetworkOptions,
    private readonly components: NetworkComponents,
  ) {
    validateOptions(options);
    this.limits = resolveLimits(options.limits);
    this.logger = components.logger ?? silentLogger;
    this.allowList = new AllowList(options.allowList);
    this.peerBook = new PeerBook(this.limits);
    this.protocols = protocolsFor(options.chainId);
    this.txHandlers = new Handlers("txs", this.logger);
    this.consensusHandlers = new Handlers("consensus", this.logger);
    this.blockHandlers = new Handlers("block", this.logger);
    this.heightHandlers = new Handlers("peer height", this.logger);
    this.peerId = peerIdFromPrivateKey(libp2pKeyFromSecret(options.secretKey)).toString();
    for (const [i, peer] of options.peers.entries()) {
      if (!this.allowList.hasKey(peer.publicKey)) {
        this.logger.warn("configured peer is not in the allow-list; it will be refused", { index: i });
      }
    }
  }

  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    // Concurrent calls share one start.
    this.starting ??= this.startOnce().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async startOnce(): Promise<void> {
    const { limits, logger, peerBook, protocols } = this;
    const gater = createGater({
      allowList: this.allowList,
      isBanned: (peerId) => peerBook.isBanned(peerId.toString()),
      logger,
    });
    const libp2p = await createLibp2pNode({
      privateKey: libp2pKeyFromSecret(this.options.secretKey),
      listen: this.options.listen,
      gater,
      txTopic: protocols.txTopic,
      limits,
    });
    const peerInfo = (peerId: PeerId): PeerInfo => ({
      peerId: peerId.toString(),
      publicKey: publicKeyOfPeer(peerId) ?? new Uint8Array(0),
    });
    const penalize = (peerId: string, points: number, reason: string) => this.penalize(peerId, points, reason);
    const shared = { libp2p, limits, peerBook, logger, peerInfo, penalize };
    const txs = new TxGossip({
      ...shared,
      handlers: this.txHandlers,
      pubsub: libp2p.services.pubsub,
      topic: protocols.txTopic,
    });
    const consensus = new ConsensusChannel({
      ...shared,
      protocol: protocols.consensus,
      handlers: this.consensusHandlers,
      ownHeight: () => this.components.blockSource.latestHeight(),
      onStatus: (height, from) => this.statusReceived(height, from),
    });
    const blocks = new BlockChannel({ ...shared, handlers: this.blockHandlers, protocol: protocols.block });
    const sync = new SyncClient({ ...shared, protocol: protocols.sync, ban: (id, reason) => this.ban(id, reason) });
    await consensus.start();
    await blocks.start();
    await startSyncServer({ ...shared, protocol: protocols.sync, blockSource: this.components.blockSource });
    const redialer = new Redialer(
      libp2p,
      this.options.peers.map((p) => ({ peerId: peerIdFromKey(p.publicKey), addrs: p.addrs })),
      limits,
      logger,
    );
    libp2p.addEventListener("peer:connect", (evt) => {
      const peerId = evt.detail.toString();
      logger.info("peer connected", { peerId });
      redialer.connected(peerId);
      consensus.greet(evt.detail);
    });
    libp2p.addEventListener("peer:disconnect", (evt) => {
      const peerId = evt.detail.toString();
      logger.info("peer disconnected", { peerId });
      peerBook.get(peerId).height = -1;
      consensus.disconnected(peerId);
      blocks.disconnected(peerId);
      redialer.disconnected(peerId);
    });
    this.lastAnnounced = this.components.blockSource.latestHeight();
    const statusTimer = setInterval(() => this.announceHeight(), limits.statusIntervalMs);
    statusTimer.unref();
    this.running = { libp2p, txs, consensus, blocks, sync, redialer, statusTimer };
    try {
      await libp2p.start();
      txs.start();
    } catch (err) {
      // A port in use, say: leave nothing half-started behind.
      this.running = undefined;
      clearInterval(statusTimer);
      await Promise.resolve(libp2p.stop()).catch(() => {});
      throw err;
    }
    redialer.start();
    logger.info("network started", { peerId: this.peerId, addrs: this.listenAddrs() });
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => {});
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    clearInterval(running.statusTimer);
    running.redialer.stop();
    await running.txs.stop();
    await running.libp2p.stop();
    this.logger.info("network stopped", { peerId: this.peerId });
  }

  listenAddrs(): string[] {
    return this.running?.libp2p.getMultiaddrs().map((a) => a.toString()) ?? [];
  }

  broadcastTxs(txs: Uint8Array[]): void {
    this.require().txs.broadcast(txs);
  }

  flushTxs(): Promise<void> {
    return this.require().txs.flush();
  }

  onTxs(handler: Handler<[Uint8Array[], PeerInfo]>): Unsubscribe {
    return this.txHandlers.add(handler);
  }

  broadcastConsensus(msg: ConsensusMessage): void {
    this.require().consensus.broadcast(msg);
  }

  onConsensus(handler: Handler<[ConsensusMessage, PeerInfo]>): Unsubscribe {
    return this.consensusHandlers.add(handler);
  }

  broadcastBlock(height: number, round: number, blockHash: Uint8Array, block: Uint8Array): void {
    this.require().blocks.broadcast({ height, round, blockHash, block });
  }

  onBlock(handler: Handler<[BlockMessage, PeerInfo]>): Unsubscribe {
    return this.blockHandlers.add(handler);
  }

  syncBlocks(from: number, to: number, verify: VerifyBlock): AsyncGenerator<SyncedBlock> {
    return this.require().sync.sync(from, to, verify);
  }

  peerHeights(): Map<string, number> {
    const heights = new Map<string, number>();
    for (const peer of this.running?.libp2p.getPeers() ?? []) {
      const height = this.peerBook.get(peer.toString()).height;
      if (height >= 0) heights.set(peer.toString(), height);
    }
    return heights;
  }

  onPeerHeight(handler: Handler<[number, PeerInfo]>): Unsubscribe {
    return this.heightHandlers.add(handler);
  }

  reportInvalid(peer: PeerInfo | string, reason: string): void {
    const peerId = typeof peer === "string" ? peer : peer.peerId;
    this.peerBook.get(peerId).invalidReports += 1;
    this.penalize(peerId, this.limits.invalidPenalty, reason);
  }

  setAllowList(publicKeys: Uint8Array[]): void {
    this.allowList.replace(publicKeys);
    for (const peer of this.running?.libp2p.getPeers() ?? []) {
      if (!this.allowList.allows(peer)) {
        this.logger.warn("peer left the allow-list, disconnecting", { peerId: peer.toString() });
        this.hangUp(peer.toString());
      }
    }
  }

  peers(): PeerStats[] {
    const running = this.running;
    if (!running) return [];
    const { libp2p } = running;
    const subscribers = new Set(libp2p.services.pubsub.getSubscribers(this.protocols.txTopic).map(String));
    return libp2p.getPeers().map((peer) => {
      const id = peer.toString();
      const r = this.peerBook.get(id);
      return {
        peerId: id,
        publicKey: publicKeyOfPeer(peer) ?? new Uint8Array(0),
        addrs: libp2p.getConnections(peer).map((c) => c.remoteAddr.toString()),
        bytesIn: r.bytesIn,
        bytesOut: r.bytesOut,
        msgsIn: r.msgsIn,
        msgsOut: r.msgsOut,
        score: r.score,
        height: r.height,
        txGossip: subscribers.has(id),
      };
    });
  }

  peerCount(): number {
    return this.running?.libp2p.getPeers().length ?? 0;
  }

  private require(): Running {
    if (!this.running) throw new P2pError({ code: "P2P_NOT_STARTED" }, "the network is not started");
    return this.running;
  }

  private announceHeight(): void {
    const height = this.components.blockSource.latestHeight();
    if (height === this.lastAnnounced) return;
    this.lastAnnounced = height;
    this.running?.consensus.announceStatus();
  }

  private statusReceived(height: number, from: PeerInfo): void {
    this.peerBook.get(from.peerId).height = height;
    this.running?.sync.heightAnnounced();
    void this.heightHandlers.emit(height, from);
  }

  private penalize(peerId: string, points: number, reason: string): void {
    const banned = this.peerBook.penalize(peerId, points);
    // Rate-limit penalties can come by the thousand from a flooding peer; only invalid data is worth a warning.
    const log = points >= this.limits.invalidPenalty ? this.logger.warn : this.logger.debug;
    log.call(this.logger, "peer penalized", { peerId, points, reason, score: this.peerBook.get(peerId).score });
    if (banned) {
      this.logger.warn("peer banned", { peerId, reason, banMs: this.limits.banDurationMs });
      this.hangUp(peerId);
    }
  }

  private ban(peerId: string, reason: string): void {
    if (this.peerBook.ban(peerId))
      this.logger.warn("peer banned", { peerId, reason, banMs: this.limits.banDurationMs });
    this.hangUp(peerId);
  }

  private hangUp(peerId: string): void {
    const libp2p = this.running?.libp2p;
    if (!libp2p) return;
    libp2p.hangUp(peerIdFromString(peerId)).catch((err) => {
      this.logger.debug("hang up failed", { peerId, error: String(err) });
    });
  }
}
