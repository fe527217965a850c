import { randomBytes } from "node:crypto";
import {
  decodeProposal,
  decodeVote,
  encodeProposal,
  encodeVote,
  equalBytes,
  sha256,
  signProposal,
  signVote,
  VoteType,
} from "@hansa/core";
import { type BlockMessage, ConsensusKind, type ConsensusMessage, type PeerInfo } from "@hansa/p2p";
import { afterEach, describe, expect, it } from "vitest";
import { CHAIN_ID, Cluster, makeKeys, startMesh, waitFor } from "../helpers.js";

describe("consensus delivery", () => {
  const cluster = new Cluster();
  afterEach(() => cluster.stopAll());

  it("delivers proposals and votes to every validator, tagged with their sender", async () => {
    const keys = makeKeys(4);
    const nodes = await startMesh(cluster, keys, { allowList: keys.map((k) => k.publicKey) });
    const inbox = nodes.map(() => [] as { msg: ConsensusMessage; from: PeerInfo }[]);
    for (const [i, n] of nodes.entries()) n.net.onConsensus((msg, from) => void inbox[i]!.push({ msg, from }));

    const blockHash = sha256(new Uint8Array([1]));
    const proposal = signProposal(CHAIN_ID, { height: 1, round: 0, polRound: null, blockHash }, keys[0]!.secretKey);
    nodes[0]!.net.broadcastConsensus({ kind: ConsensusKind.PROPOSAL, payload: encodeProposal(proposal) });
    nodes.forEach((n, i) => {
      const vote = signVote(CHAIN_ID, { type: VoteType.PREVOTE, height: 1, round: 0, blockHash }, keys[i]!.secretKey);
      n.net.broadcastConsensus({ kind: ConsensusKind.VOTE, payload: encodeVote(vote) });
    });

    // Every node hears the proposal from node 0 and a vote from each of the three others.
    await waitFor(() => inbox.every((msgs, i) => msgs.length === (i === 0 ? 3 : 4)), "all messages");
    for (const [i, msgs] of inbox.entries()) {
      const votes = msgs
        .filter((m) => m.msg.kind === ConsensusKind.VOTE)
        .map((m) => ({ ...m, vote: decodeVote(m.msg.payload) }));
      expect(votes).toHaveLength(3);
      for (const { vote, from } of votes) expect(equalBytes(vote.validator, from.publicKey)).toBe(true);
      expect(votes.some((v) => equalBytes(v.vote.validator, keys[i]!.publicKey))).toBe(false);
      if (i > 0) {
        const p = msgs.find((m) => m.msg.kind === ConsensusKind.PROPOSAL);
        expect(decodeProposal(p!.msg.payload).height).toBe(1);
        expect(equalBytes(p!.msg.payload, encodeProposal(proposal))).toBe(true);
      }
    }
  });

  it("delivers a 5 MB proposal block intact to every validator", async () => {
    const keys = makeKeys(4);
    const nodes = await startMesh(cluster, keys, { allowList: keys.map((k) => k.publicKey) });
    const blocks = nodes.map(() => [] as { msg: BlockMessage; from: PeerInfo }[]);
    for (const [i, n] of nodes.entries()) n.net.onBlock((msg, from) => void blocks[i]!.push({ msg, from }));
    const body = new Uint8Array(randomBytes(5 * 1024 * 1024 + 123));
    const blockHash = sha256(body);
    nodes[2]!.net.broadcastBlock(7, 1, blockHash, body);
    // A vote sent right after the block travels on its own stream and arrives too.
    const votes: number[] = [];
    nodes[0]!.net.onConsensus(() => void votes.push(1));
    const vote = signVote(CHAIN_ID, { type: VoteType.PREVOTE, height: 7, round: 1, blockHash }, keys[2]!.secretKey);
    nodes[2]!.net.broadcastConsensus({ kind: ConsensusKind.VOTE, payload: encodeVote(vote) });

    await waitFor(() => blocks.every((b, i) => b.length === (i === 2 ? 0 : 1)), "block everywhere", 25_000);
    for (const [i, got] of blocks.entries()) {
      if (i === 2) continue;
      const { msg, from } = got[0]!;
      expect(msg.height).toBe(7);
      expect(msg.round).toBe(1);
      expect(equalBytes(msg.blockHash, blockHash)).toBe(true);
      expect(msg.block.length).toBe(body.length);
      expect(equalBytes(sha256(msg.block), blockHash)).toBe(true);
      expect(from.peerId).toBe(nodes[2]!.net.peerId);
    }
    await waitFor(() => votes.length === 1, "vote");
    const sender = nodes[2]!.net.peers();
    expect(sender.every((p) => p.bytesOut > body.length)).toBe(true);
  });
});
