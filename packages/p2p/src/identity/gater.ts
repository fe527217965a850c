import type { ConnectionGater, PeerId } from "@libp2p/interface";
import type { Logger } from "../types.js";
import type { AllowList } from "./allow-list.js";

export const RefusalReason = { NOT_ALLOWED: "not-allow-listed", BANNED: "banned" } as const;
export type RefusalReason = (typeof RefusalReason)[keyof typeof RefusalReason];

export interface GaterDeps {
  allowList: AllowList;
  isBanned(peerId: PeerId): boolean;
  logger: Logger;
}

/**
 * Refuses every peer outside the allow-list, or banned, in both directions. The check runs right after the
 * Noise handshake, which is the first point where the remote key is proven; before it there is only an IP.
 */
export function createGater({ allowList, isBanned, logger }: GaterDeps): ConnectionGater {
  const refuse = (peerId: PeerId, direction: "inbound" | "outbound" | "dial"): boolean => {
    const reason = !allowList.allows(peerId)
      ? RefusalReason.NOT_ALLOWED
      : isBanned(peerId)
        ? RefusalReason.BANNED
        : undefined;
    if (reason === undefined) return false;
    logger.warn("peer refused", { peerId: peerId.toString(), direction, reason });
    return true;
  };
  return {
    denyDialPeer: (peerId) => refuse(peerId, "dial"),
    denyInboundEncryptedConnection: (peerId) => refuse(peerId, "inbound"),
    denyOutboundEncryptedConnection: (peerId) => refuse(peerId, "outbound"),
  };
}
