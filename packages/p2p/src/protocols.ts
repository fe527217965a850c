/**
 * Protocol ids and topics carry the chain id, so nodes of two chains that share a host or a key never
 * exchange a message: multistream-select finds no common protocol.
 */
export interface Protocols {
  /** Gossipsub topic of transaction batches. */
  txTopic: string;
  /** Long-lived stream per peer: status, proposals and votes. */
  consensus: string;
  /** Long-lived stream per peer: proposal block bodies in parts. */
  block: string;
  /** One stream per request: blocks with commit certificates by height range. */
  sync: string;
}

export function protocolsFor(chainId: string): Protocols {
  return {
    txTopic: `/hansa/${chainId}/txs/1`,
    consensus: `/hansa/${chainId}/consensus/1.0.0`,
    block: `/hansa/${chainId}/block/1.0.0`,
    sync: `/hansa/${chainId}/sync/1.0.0`,
  };
}
