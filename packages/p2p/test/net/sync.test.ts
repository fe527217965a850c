import { CommitError, isHansaError } from "@hansa/core";
import type { BlockWithCommit } from "@hansa/p2p";
import { P2pError, type SyncedBlock } from "@hansa/p2p";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildChain, chainVerifier, forgeCertificates, validatorSet } from "../chain.js";
import { Cluster, MemoryBlockSource, makeKeys, peerOf, type TestKey, waitFor } from "../helpers.js";

const HEIGHT = 1_000;

describe("block sync", () => {
  const cluster = new Cluster();
  afterEach(() => cluster.stopAll());

  let validators: TestKey[];
  let chain: BlockWithCommit[];
  beforeAll(() => {
    validators = makeKeys(4);
    chain = buildChain(validators, HEIGHT);
  });

  it("a node that joins late syncs 1,000 blocks, rejects forged certificates and drops their server", async () => {
    const keys = [...validators, ...makeKeys(1)];
    const allowList = keys.map((k) => k.publicKey);
    const honest = await cluster.start(keys[0]!, { allowList }, new MemoryBlockSource(chain));
    const forger = await cluster.start(keys[1]!, { allowList }, new MemoryBlockSource(forgeCertificates(chain)));
    const late = await cluster.start(keys[4]!, { allowList, peers: [peerOf(honest), peerOf(forger)] });

    // The status exchange tells the late node it is behind, and who can serve the range.
    const announced: number[] = [];
    late.net.onPeerHeight((height) => void announced.push(height));
    await waitFor(() => [...late.net.peerHeights().values()].filter((h) => h === HEIGHT).length === 2, "heights");
    expect(announced).toContain(HEIGHT);

    const verify = chainVerifier(validatorSet(validators));
    const rejected: unknown[] = [];
    const synced: SyncedBlock[] = [];
    for await (const item of late.net.syncBlocks(1, HEIGHT, (block, commit, height) => {
      try {
        verify(block, commit, height);
      } catch (err) {
        rejected.push(err);
        throw err;
      }
    })) {
      synced.push(item);
      late.source.items.push({ block: item.block, commit: item.commit });
    }

    expect(synced.map((s) => s.height)).toEqual(Array.from({ length: HEIGHT }, (_, i) => i + 1));
    expect(synced.every((s) => s.from.peerId === honest.net.peerId)).toBe(true);
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((e) => e instanceof CommitError && e.code === "COMMIT_BAD_SIGNATURE")).toBe(true);
    await waitFor(() => !late.net.peers().some((p) => p.peerId === forger.net.peerId), "forger dropped");
    expect(late.logger.has("peer banned", { peerId: forger.net.peerId })).toBe(true);
    expect(late.net.peers().map((p) => p.peerId)).toEqual([honest.net.peerId]);
    // Now level with the honest node, the late node serves the chain itself.
    await waitFor(() => honest.net.peerHeights().get(late.net.peerId) === HEIGHT, "late node announces its height");
  });

  it("fails with a typed error when only a forger has the blocks", async () => {
    const keys = [...validators, ...makeKeys(1)];
    const allowList = keys.map((k) => k.publicKey);
    const forger = await cluster.start(
      keys[1]!,
      { allowList },
      new MemoryBlockSource(forgeCertificates(chain.slice(0, 20))),
    );
    const late = await cluster.start(keys[4]!, {
      allowList,
      peers: [peerOf(forger)],
      limits: { syncPeerWaitMs: 200 },
    });
    await waitFor(() => late.net.peerHeights().get(forger.net.peerId) === 20, "height");
    const verify = chainVerifier(validatorSet(validators));
    const consume = async () => {
      for await (const _ of late.net.syncBlocks(1, 20, verify)) expect.unreachable();
    };
    const err = await consume().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(P2pError);
    expect(isHansaError(err) && err.code).toBe("P2P_SYNC_NO_PEER");
    await waitFor(() => late.net.peerCount() === 0, "forger dropped");
  });
});
