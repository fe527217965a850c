// @hansa/p2p: permissioned libp2p networking for Hansa nodes.

export type { P2pErrorType } from "./errors.js";
export { P2pError } from "./errors.js";
export { libp2pKeyFromSecret, peerIdFromKey, publicKeyOfPeer } from "./identity/keys.js";
export type { NetworkLimits } from "./limits.js";
export { DEFAULT_LIMITS } from "./limits.js";
export { createNetwork } from "./network.js";
export type { Protocols } from "./protocols.js";
export { protocolsFor } from "./protocols.js";
export type {
  BlockMessage,
  BlockSource,
  BlockWithCommit,
  ConfiguredPeer,
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
export { ConsensusKind } from "./types.js";
