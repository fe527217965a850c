import { ConsensusKind, createNetwork } from "@hansa/p2p";
import { afterEach, describe, expect, it } from "vitest";
import { CHAIN_ID, Cluster, MemoryBlockSource, makeKeys, peerOf, portOf, waitFor } from "../helpers.js";

describe("lifecycle", () => {
  const cluster = new Cluster();
  afterEach(() => cluster.stopAll());

  it("fails to start on a port in use and leaves nothing running", async () => {
    const [a, b] = makeKeys(2) as [ReturnType<typeof makeKeys>[0], ReturnType<typeof makeKeys>[0]];
    const first = await cluster.start(a, { allowList: [a.publicKey] });
    const clash = createNetwork(
      {
        chainId: CHAIN_ID,
        secretKey: b.secretKey,
        listen: [`/ip4/127.0.0.1/tcp/${portOf(first)}`],
        peers: [],
        allowList: [b.publicKey],
      },
      { blockSource: new MemoryBlockSource() },
    );
    await expect(clash.start()).rejects.toThrow();
    expect(clash.listenAddrs()).toEqual([]);
    await clash.stop();
  });

  it("keeps handlers registered before start and across a restart of the same network", async () => {
    const [a, b] = makeKeys(2) as [ReturnType<typeof makeKeys>[0], ReturnType<typeof makeKeys>[0]];
    const allowList = [a.publicKey, b.publicKey];
    const sender = await cluster.start(b, { allowList });
    const receiver = createNetwork(
      {
        chainId: CHAIN_ID,
        secretKey: a.secretKey,
        listen: ["/ip4/127.0.0.1/tcp/0"],
        peers: [peerOf(sender)],
        allowList,
      },
      { blockSource: new MemoryBlockSource() },
    );
    const got: number[] = [];
    const unsubscribe = receiver.onConsensus((msg) => void got.push(msg.payload[0]!));
    try {
      await Promise.all([receiver.start(), receiver.start()]);
      await waitFor(() => receiver.peerCount() === 1 && sender.net.peerCount() === 1, "connection");
      sender.net.broadcastConsensus({ kind: ConsensusKind.VOTE, payload: Uint8Array.of(1) });
      await waitFor(() => got.length === 1, "first message");

      await receiver.stop();
      expect(receiver.peerCount()).toBe(0);
      await receiver.start();
      await waitFor(() => receiver.peerCount() === 1 && sender.net.peerCount() === 1, "reconnection");
      sender.net.broadcastConsensus({ kind: ConsensusKind.VOTE, payload: Uint8Array.of(2) });
      await waitFor(() => got.length === 2, "second message");

      // Unsubscribed, the first handler stays silent; a second handler shows the message did arrive.
      unsubscribe();
      const later: number[] = [];
      receiver.onConsensus((msg) => void later.push(msg.payload[0]!));
      sender.net.broadcastConsensus({ kind: ConsensusKind.VOTE, payload: Uint8Array.of(3) });
      await waitFor(() => later.length === 1, "third message");
      expect(got).toEqual([1, 2]);
    } finally {
      await receiver.stop();
    }
  });
});
