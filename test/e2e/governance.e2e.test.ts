import { join } from "node:path";
import { bytesTo0x, generateSecretKey, getPublicKey, loadKeyFile } from "@hansa/core";
import { buildPayload, initHome } from "@hansa/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readGenesis } from "../../packages/node/src/config/home.js";
import { NodeProcess } from "../support/node-process.js";
import { freeBasePort } from "../support/ports.js";
import { E2eTestnet } from "../support/testnet.js";
import { waitFor } from "../support/wait.js";

/**
 * A validator added by governance: three of four validators vote it in, its set takes effect two blocks
 * later, every node widens its peer allow-list to that set, and the new node (whose key is in no genesis)
 * connects, syncs and signs commit certificates.
 */
describe("validator set change through governance", () => {
  let net: E2eTestnet;
  let newcomer: NodeProcess;

  beforeAll(async () => {
    net = await E2eTestnet.create({ label: "governance" });
    await net.start();
  }, 60_000);

  afterAll(async () => {
    await newcomer?.kill();
    await net?.destroy();
  });

  it("a validator voted in starts signing certificates", async () => {
    const first = net.node(0);
    const validatorKeys = await Promise.all(
      net.layout.nodes.map((n) => loadKeyFile(join(n.home, "keys", "validator.json"))),
    );
    const secretKey = generateSecretKey();
    const publicKey = getPublicKey(secretKey);

    // Proposal by validator 1, votes by validators 2 and 3: 30 of 40 power, more than 2/3.
    const propose = buildPayload("governance.propose", {
      op: "add",
      name: "validator-5",
      publicKey,
      power: 10,
      force: false,
    });
    const proposed = await first.client.submitAndWait(propose.kind, propose.payload, validatorKeys[0]!.secretKey);
    expect(proposed.receipt.ok).toBe(true);
    const proposalId = 1;
    for (const voter of [1, 2]) {
      const vote = buildPayload("governance.vote", { proposalId });
      const voted = await first.client.submitAndWait(vote.kind, vote.payload, validatorKeys[voter]!.secretKey);
      expect(voted.receipt.ok, voted.receipt.message).toBe(true);
    }

    // The set with five validators applies from some height H; find it.
    const effective = await waitFor(
      "a validator set of five",
      async () => {
        const status = await first.client.chainStatus();
        for (let h = status.height + 2; h > Math.max(0, status.height - 5); h--) {
          const set = await first.client.chainValidators(h).catch(() => undefined);
          if (set?.validators.length === 5) return h;
        }
        return undefined;
      },
      { timeoutMs: 30_000 },
    );

    // The newcomer joins with the chain's genesis and the four validators as peers.
    const base = await freeBasePort(1);
    const home = join(net.dir, "node5");
    const genesis = await readGenesis(join(net.layout.nodes[0]!.home, "genesis.json"));
    await initHome({
      home,
      moniker: "validator-5",
      chainId: genesis.chainId,
      rpcPort: base,
      p2pPort: base + 1,
      genesis,
      secretKey,
      peers: net.layout.nodes.map((n) => ({ publicKey: n.publicKey, addrs: [n.p2pAddr] })),
    });
    newcomer = new NodeProcess(
      {
        moniker: "validator-5",
        home,
        rpcUrl: `http://127.0.0.1:${base}`,
        p2pAddr: `/ip4/127.0.0.1/tcp/${base + 1}`,
        publicKey: bytesTo0x(publicKey),
        address: "",
      },
      join(process.cwd(), "packages/node/dist/cli/main.js"),
    );
    newcomer.start();
    await newcomer.waitHealthy();

    // It catches up and its precommits appear in the certificates of heights after H.
    const index = (await first.client.chainValidators(effective)).validators.findIndex(
      (v) => v.publicKey === bytesTo0x(publicKey),
    );
    expect(index).toBeGreaterThanOrEqual(0);
    const signedAt = await waitFor(
      "a certificate signed by the new validator",
      async () => {
        const status = await first.client.chainStatus();
        for (let h = Math.max(effective, status.height - 10); h <= status.height; h++) {
          const block = await first.client.blockGet(h);
          const signers = block.commit?.signatures.map((s) => s.validatorIndex) ?? [];
          if (signers.includes(index)) return h;
        }
        return undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(signedAt).toBeGreaterThanOrEqual(effective);
    const newcomerStatus = await newcomer.client.chainStatus();
    expect(newcomerStatus.isValidator).toBe(true);
    expect(newcomerStatus.height).toBeGreaterThanOrEqual(signedAt - 1);
  }, 150_000);
});
