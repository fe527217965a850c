import { libp2pKeyFromSecret, protocolsFor } from "@hansa/p2p";
import { afterEach, describe, expect, it } from "vitest";
import { AllowList } from "../../src/identity/allow-list.js";
import { createGater } from "../../src/identity/gater.js";
import { createLibp2pNode, type HansaLibp2p } from "../../src/libp2p-node.js";
import { DEFAULT_LIMITS } from "../../src/limits.js";
import { silentLogger } from "../../src/logger.js";
import { sendFrame } from "../../src/wire/frames.js";
import { CHAIN_ID, Cluster, LOOPBACK, makeKeys, waitFor } from "../helpers.js";

describe("a peer that breaks the protocol", () => {
  const cluster = new Cluster();
  let raw: HansaLibp2p | undefined;
  afterEach(async () => {
    await raw?.stop();
    await cluster.stopAll();
  });

  it("is scored down, disconnected and then refused", async () => {
    const [victimKey, rogueKey] = makeKeys(2) as [ReturnType<typeof makeKeys>[0], ReturnType<typeof makeKeys>[0]];
    const allowList = [victimKey.publicKey, rogueKey.publicKey];
    const victim = await cluster.start(victimKey, { allowList, limits: { invalidPenalty: 50 } });
    // The rogue is allow-listed and speaks the same stack, but writes garbage on the consensus protocol.
    raw = await createLibp2pNode({
      privateKey: libp2pKeyFromSecret(rogueKey.secretKey),
      listen: [LOOPBACK],
      gater: createGater({ allowList: new AllowList(allowList), isBanned: () => false, logger: silentLogger }),
      txTopic: protocolsFor(CHAIN_ID).txTopic,
      limits: DEFAULT_LIMITS,
    });
    await raw.start();
    const { multiaddr } = await import("@multiformats/multiaddr");
    const stream = await raw.dialProtocol(multiaddr(victim.net.listenAddrs()[0]!), protocolsFor(CHAIN_ID).consensus);
    await sendFrame(stream, new Uint8Array([0xff, 0x00, 0x13]));
    await waitFor(() => victim.logger.has("peer penalized", { peerId: raw!.peerId.toString() }), "penalty");
    expect(victim.net.peerCount()).toBe(1);
    const second = await raw.dialProtocol(multiaddr(victim.net.listenAddrs()[0]!), protocolsFor(CHAIN_ID).consensus);
    await sendFrame(second, new Uint8Array([0xa0]));
    await waitFor(() => victim.logger.has("peer banned", { peerId: raw!.peerId.toString() }), "ban");
    await waitFor(() => victim.net.peerCount() === 0 && raw!.getPeers().length === 0, "disconnect");
    // Dialling again: the dialer may finish its side of the handshake, but the victim's gater refuses it.
    await raw.dial(multiaddr(victim.net.listenAddrs()[0]!)).catch(() => {});
    await waitFor(
      () => victim.logger.has("peer refused", { peerId: raw!.peerId.toString(), reason: "banned" }),
      "refusal of the banned peer",
    );
    await waitFor(() => victim.net.peerCount() === 0 && raw!.getPeers().length === 0, "no connection");
  });
});
