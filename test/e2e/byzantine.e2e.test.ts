import { verifyEvidence } from "@hansa/consensus";
import { decodeEvidence, hexToBytes, ValidatorSet } from "@hansa/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoFork } from "../support/invariants.js";
import { errorReports } from "../support/logs.js";
import { E2eTestnet } from "../support/testnet.js";
import { waitFor } from "../support/wait.js";

/**
 * One validator of four equivocates (a test-only mode: it signs a conflicting twin of every vote and
 * proposal). The three honest ones keep committing one chain, detect the equivocation, record it on chain
 * as evidence that anyone can check against the validator set, and serve it over `evidence_list`.
 */
describe("a byzantine validator that equivocates", () => {
  let net: E2eTestnet;
  const BYZANTINE = 3;

  beforeAll(async () => {
    net = await E2eTestnet.create({ label: "byzantine" });
    for (const [i, node] of net.nodes.entries()) {
      node.start(i === BYZANTINE ? { HANSA_TEST_BYZANTINE: "equivocate" } : {});
    }
    await Promise.all(net.nodes.map((n) => n.waitHealthy()));
  }, 60_000);

  afterAll(async () => {
    await net?.destroy();
  });

  it("is recorded on chain by the honest validators, and the chain stays one", async () => {
    const honest = net.nodes.filter((_, i) => i !== BYZANTINE);
    const byzantineKey = net.node(BYZANTINE).node.publicKey;
    const { chainId } = net.layout;

    // Votes are doubled at every height, proposals at the heights it proposes: both kinds reach the chain.
    const recorded = await waitFor(
      "evidence of both kinds on chain",
      async () => {
        const { evidence } = await net.node(0).client.evidenceList({ limit: 100 });
        const kinds = new Set(evidence.map((e) => e.kind));
        return kinds.has("duplicate_vote") && kinds.has("duplicate_proposal") ? evidence : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 500 },
    );
    for (const piece of recorded) {
      expect(piece.validator, "only the equivocator is accused").toBe(byzantineKey);
      // Checkable by a third party: the two signed messages against the set that voted at that height.
      const set = await net.node(1).client.chainValidators(piece.height);
      const validators = new ValidatorSet(
        set.validators.map((v) => ({ name: v.name, publicKey: hexToBytes(v.publicKey), power: v.power })),
      );
      const evidence = decodeEvidence(hexToBytes(piece.encoded));
      expect(verifyEvidence(chainId, validators, evidence)).toBe(true);
      // The signatures bind the chain: the same pair proves nothing about another chain.
      expect(verifyEvidence(`${chainId}-other`, validators, evidence)).toBe(false);
      // The block that carries it is on chain and lists the same piece.
      const block = await net.node(2).client.blockGet(piece.includedHeight);
      expect(block.evidence.map((e) => e.id)).toContain(piece.id);
    }
    // Each misbehaviour is recorded once, however many honest nodes saw it.
    expect(new Set(recorded.map((e) => e.id)).size).toBe(recorded.length);

    // Every honest node serves the same evidence list for the same heights.
    const upTo = Math.max(...recorded.map((e) => e.includedHeight));
    for (const node of honest) {
      await waitFor(`${node.moniker} at height ${upTo}`, async () => (await node.height()) >= upTo, {
        timeoutMs: 20_000,
      });
      const { evidence } = await node.client.evidenceList({ limit: 100 });
      expect(evidence.filter((e) => e.includedHeight <= upTo).map((e) => e.id)).toEqual(
        recorded.filter((e) => e.includedHeight <= upTo).map((e) => e.id),
      );
    }

    // Safety and liveness with one byzantine validator of four.
    const before = await net.node(0).height();
    await waitFor("three more heights", async () => (await net.node(0).height()) >= before + 3, { timeoutMs: 20_000 });
    await expectNoFork(net.nodes);
    expect(await errorReports(honest)).toEqual([]);
  }, 120_000);
});
