import { ConsensusKind } from "@hansa/p2p";
import { afterEach, describe, expect, it } from "vitest";
import { Cluster, makeKeys, peerOf, portOf, waitFor } from "../helpers.js";

describe("reconnection", () => {
  const cluster = new Cluster();
  afterEach(() => cluster.stopAll());

  it("redials a configured peer that was stopped and restarted on the same port", async () => {
    const [a, b] = makeKeys(2) as [ReturnType<typeof makeKeys>[0], ReturnType<typeof makeKeys>[0]];
    const allowList = [a.publicKey, b.publicKey];
    const first = await cluster.start(b, { allowList });
    const port = portOf(first);
    const na = await cluster.start(a, { allowList, peers: [peerOf(first)] });
    await waitFor(() => na.net.peerCount() === 1, "first connection");

    await first.net.stop();
    await waitFor(() => na.net.peerCount() === 0, "disconnect");
    // Let a couple of redials fail while the peer is down, so the backoff path is exercised.
    await waitFor(() => na.logger.has("dial failed"), "a failed redial");

    const restarted = await cluster.start(b, { allowList, listen: [`/ip4/127.0.0.1/tcp/${port}`] });
    await waitFor(() => na.net.peerCount() === 1 && restarted.net.peerCount() === 1, "reconnection");
    expect(na.net.peers()[0]?.peerId).toBe(restarted.net.peerId);

    // The new connection carries traffic: a vote from the restarted peer arrives.
    const got: string[] = [];
    na.net.onConsensus((_, from) => void got.push(from.peerId));
    restarted.net.broadcastConsensus({ kind: ConsensusKind.VOTE, payload: new Uint8Array([1, 2, 3]) });
    await waitFor(() => got.length === 1, "message after reconnect");
    expect(got[0]).toBe(restarted.net.peerId);
  });
});
