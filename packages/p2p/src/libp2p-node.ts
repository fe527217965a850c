import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { sha256 } from "@hansa/core";
import { type GossipSub, gossipsub } from "@libp2p/gossipsub";
import { type Identify, identify } from "@libp2p/identify";
import type { ConnectionGater, Libp2p, PrivateKey } from "@libp2p/interface";
import { tcp } from "@libp2p/tcp";
import { createLibp2p } from "libp2p";
import type { NetworkLimits } from "./limits.js";

export type HansaLibp2p = Libp2p<{ identify: Identify; pubsub: GossipSub }>;

export interface Libp2pNodeOptions {
  privateKey: PrivateKey;
  listen: string[];
  gater: ConnectionGater;
  txTopic: string;
  limits: NetworkLimits;
}

/** Room for gossipsub's RPC framing around one transaction batch. */
const RPC_OVERHEAD_BYTES = 64 * 1024;

/**
 * The libp2p stack: TCP, Noise, Yamux, identify (gossipsub learns a peer's protocols from it) and gossipsub.
 * There is no discovery: peers come only from configuration, and the gater admits only the allow-list.
 */
export function createLibp2pNode(opts: Libp2pNodeOptions): Promise<HansaLibp2p> {
  return createLibp2p({
    start: false,
    privateKey: opts.privateKey,
    addresses: { listen: opts.listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: opts.gater,
    connectionManager: { inboundConnectionThreshold: opts.limits.inboundConnectionsPerSecond },
    // A ping slowed by a multi-megabyte transfer must not cost the connection.
    connectionMonitor: { pingTimeout: { minTimeout: 5_000, maxTimeout: 30_000 } },
    services: {
      identify: identify(),
      pubsub: gossipsub({
        // Every batch is content-addressed and every transaction carries its sender's signature; the
        // immediate sender is already authenticated by Noise. Signing each gossip message would add an
        // Ed25519 signature and verification per hop for nothing.
        globalSignaturePolicy: "StrictNoSign",
        msgIdFn: (msg) => sha256(msg.data),
        allowPublishToZeroTopicPeers: true,
        ignoreDuplicatePublishError: true,
        floodPublish: true,
        fallbackToFloodsub: false,
        doPX: false,
        emitSelf: false,
        allowedTopics: [opts.txTopic],
        maxInboundDataLength: opts.limits.maxTxBatchBytes + RPC_OVERHEAD_BYTES,
      }),
    },
  });
}
