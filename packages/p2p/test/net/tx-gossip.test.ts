import {
  decodeTransaction,
  encodeTransaction,
  generateSecretKey,
  signTransaction,
  verifyTransactionSignature,
} from "@hansa/core";
import { afterEach, describe, expect, it } from "vitest";
import { CHAIN_ID, Cluster, makeKeys, peerOf, startMesh, type TestNode, waitFor } from "../helpers.js";

function makeTxs(n: number, start = 0): Uint8Array[] {
  const sk = generateSecretKey();
  return Array.from({ length: n }, (_, i) =>
    encodeTransaction(
      signTransaction({ chainId: CHAIN_ID, nonce: start + i, kind: "record.put", payload: new Uint8Array(100) }, sk),
    ),
  );
}

/** What a node does with gossiped transactions: keep the valid ones, report the sender of any other. */
function collect(node: TestNode, invalid: Uint8Array[] = []): Map<string, Uint8Array> {
  const got = new Map<string, Uint8Array>();
  node.net.onTxs((txs, from) => {
    for (const tx of txs) {
      let ok = false;
      try {
        ok = verifyTransactionSignature(decodeTransaction(tx));
      } catch {}
      if (!ok) {
        invalid.push(tx);
        node.net.reportInvalid(from, "invalid transaction");
        return;
      }
      got.set(Buffer.from(tx).toString("hex"), tx);
    }
  });
  return got;
}

const gossipReady = (node: TestNode, peers: number) => node.net.peers().filter((p) => p.txGossip).length === peers;

describe("transaction gossip", () => {
  const cluster = new Cluster();
  afterEach(() => cluster.stopAll());

  it("delivers batches to all of five nodes, each transaction once, through a relay", async () => {
    const keys = makeKeys(5);
    const validators = await startMesh(cluster, keys.slice(0, 4), { allowList: keys.map((k) => k.publicKey) });
    // The observer is connected to one validator only: what it gets, the gossip mesh forwarded.
    const observer = await cluster.start(keys[4]!, {
      allowList: keys.map((k) => k.publicKey),
      peers: [peerOf(validators[0]!)],
    });
    const nodes = [...validators, observer];
    await waitFor(
      () => validators.slice(1).every((v) => gossipReady(v, 3)) && gossipReady(observer, 1),
      "gossip subscriptions",
    );
    const received = nodes.map((n) => collect(n));
    const txs = makeTxs(500);
    const sender = validators[3]!;
    sender.net.broadcastTxs(txs.slice(0, 300));
    sender.net.broadcastTxs(txs); // the first 300 again: de-duplicated before they leave
    await sender.net.flushTxs();
    await waitFor(
      () =>
        received
          .slice(0, 3)
          .concat(received[4]!)
          .every((r) => r.size === 500),
      "every tx everywhere",
    );
    expect(received[3]!.size).toBe(0); // the sender does not hear its own transactions back
    // Batching: far fewer gossip messages than transactions left the sender.
    const msgsOut = sender.net.peers().reduce((n, p) => n + p.msgsOut, 0);
    expect(msgsOut).toBeLessThan(50);
    // A transaction seen before is not delivered again, whoever sends it.
    validators[1]!.net.broadcastTxs(txs.slice(0, 10));
    await validators[1]!.net.flushTxs();
    expect(received[0]!.size).toBe(500);
  });

  it("drops a peer whose transactions are invalid and does not forward them", async () => {
    const keys = makeKeys(3);
    const allowList = keys.map((k) => k.publicKey);
    // One report is enough to ban here; the default takes four.
    const honest = await cluster.start(keys[0]!, { allowList, limits: { invalidPenalty: 100 } });
    const downstream = await cluster.start(keys[1]!, { allowList, peers: [peerOf(honest)] });
    const liar = await cluster.start(keys[2]!, { allowList, peers: [peerOf(honest)] });
    await waitFor(() => gossipReady(honest, 2) && gossipReady(liar, 1) && gossipReady(downstream, 1), "gossip");
    const invalidAtHonest: Uint8Array[] = [];
    const invalidDownstream: Uint8Array[] = [];
    const atHonest = collect(honest, invalidAtHonest);
    const atDownstream = collect(downstream, invalidDownstream);
    liar.net.broadcastTxs([new Uint8Array([1, 2, 3]), new Uint8Array([4, 5, 6])]);
    await waitFor(() => honest.logger.has("peer banned", { peerId: liar.net.peerId }), "ban");
    await waitFor(() => honest.net.peerCount() === 1, "disconnect");
    expect(atHonest.size).toBe(0);
    expect(invalidAtHonest.length).toBeGreaterThan(0);
    expect(honest.net.peers().map((p) => p.peerId)).toEqual([downstream.net.peerId]);
    // The honest node still relays valid transactions to the downstream node.
    honest.net.broadcastTxs(makeTxs(5));
    await waitFor(() => atDownstream.size === 5, "valid txs downstream");
    expect(invalidDownstream).toEqual([]);
  });
});
