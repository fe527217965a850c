import type { NetworkLimits } from "./limits.js";

/** Structured logger: a message and its fields, never a formatted string. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** The remote end of a message: its libp2p peer id and the Ed25519 public key it is bound to. */
export interface PeerInfo {
  peerId: string;
  publicKey: Uint8Array;
}

/** A peer this node keeps connected to, redialing with backoff when the connection drops. */
export interface ConfiguredPeer {
  publicKey: Uint8Array;
  /** Multiaddrs without the /p2p/ suffix, e.g. "/ip4/10.0.0.2/tcp/26656". */
  addrs: string[];
}

export interface NetworkOptions {
  chainId: string;
  /** The node's 32-byte Ed25519 seed: the validator key is also the network identity. */
  secretKey: Uint8Array;
  /** Multiaddrs to listen on, e.g. "/ip4/0.0.0.0/tcp/26656"; "/ip4/127.0.0.1/tcp/0" picks a free port. */
  listen: string[];
  peers: ConfiguredPeer[];
  /** Public keys of every node allowed to connect: the validators of genesis plus configured observers. */
  allowList: Uint8Array[];
  limits?: Partial<NetworkLimits>;
}

/** What sync serves: the node's committed blocks. */
export interface BlockSource {
  latestHeight(): number;
  /** Blocks `from..to` inclusive, in order, each with the commit certificate of its own height. */
  getBlocks(from: number, to: number): Promise<BlockWithCommit[]>;
}

export interface BlockWithCommit {
  block: Uint8Array;
  commit: Uint8Array;
}

export interface NetworkComponents {
  logger?: Logger;
  blockSource: BlockSource;
}

/** Consensus payloads travel in a typed envelope; the payload is core's `encodeProposal`/`encodeVote`. */
export const ConsensusKind = { PROPOSAL: "proposal", VOTE: "vote" } as const;
export type ConsensusKind = (typeof ConsensusKind)[keyof typeof ConsensusKind];

export interface ConsensusMessage {
  kind: ConsensusKind;
  payload: Uint8Array;
}

/** A proposal's block body, delivered whole (it travels in parts). */
export interface BlockMessage {
  height: number;
  round: number;
  blockHash: Uint8Array;
  block: Uint8Array;
}

export interface SyncedBlock extends BlockWithCommit {
  height: number;
  /** The peer that served it. */
  from: PeerInfo;
}

/** Called on each synced block in height order; throwing rejects it and drops the peer that served it. */
export type VerifyBlock = (block: Uint8Array, commit: Uint8Array, height: number) => Promise<void> | void;

export interface PeerStats {
  peerId: string;
  publicKey: Uint8Array;
  addrs: string[];
  /** Application bytes and messages: gossip, consensus, block parts and sync frames. */
  bytesIn: number;
  bytesOut: number;
  msgsIn: number;
  msgsOut: number;
  score: number;
  /** The height the peer last announced, or -1 before its first status. */
  height: number;
  /** Whether the peer has joined the transaction gossip topic. */
  txGossip: boolean;
}

export type Handler<A extends unknown[]> = (...args: A) => void | Promise<void>;

/** Removes the handler it was returned for. */
export type Unsubscribe = () => void;

export interface HansaNetwork {
  readonly peerId: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Addresses this node listens on, with the /p2p/<peerId> suffix. */
  listenAddrs(): string[];

  /** Queues transactions for gossip; they leave batched, at most `txBatchDelayMs` later. */
  broadcastTxs(txs: Uint8Array[]): void;
  /** Publishes whatever is queued now. */
  flushTxs(): Promise<void>;
  /**
   * Receives transactions new to this node. Gossip forwards a batch only after every handler returned
   * without reporting its sender, so invalid data stops at the first honest node.
   */
  onTxs(handler: Handler<[txs: Uint8Array[], from: PeerInfo]>): Unsubscribe;

  /** Sends a proposal or vote directly to every connected peer. */
  broadcastConsensus(msg: ConsensusMessage): void;
  onConsensus(handler: Handler<[msg: ConsensusMessage, from: PeerInfo]>): Unsubscribe;
  /** Sends a proposal's block body, in parts, to every connected peer. */
  broadcastBlock(height: number, round: number, blockHash: Uint8Array, block: Uint8Array): void;
  onBlock(handler: Handler<[msg: BlockMessage, from: PeerInfo]>): Unsubscribe;

  /** Fetches, verifies in order and yields blocks `from..to` from peers that have them. */
  syncBlocks(from: number, to: number, verify: VerifyBlock): AsyncGenerator<SyncedBlock>;
  /** The last height each connected peer announced, by peer id. */
  peerHeights(): Map<string, number>;
  /** Called whenever a peer announces a height. */
  onPeerHeight(handler: Handler<[height: number, from: PeerInfo]>): Unsubscribe;

  /** Scores a peer down for invalid data; past the threshold it is disconnected and banned. */
  reportInvalid(peer: PeerInfo | string, reason: string): void;
  /** Replaces the allow-list (after a validator set change); peers no longer on it are disconnected. */
  setAllowList(publicKeys: Uint8Array[]): void;

  peers(): PeerStats[];
  peerCount(): number;
}
