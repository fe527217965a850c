import { bytesTo0x, utf8ToBytes } from "@hansa/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HeightMonitor } from "../support/height-monitor.js";
import { expectCommittedEverywhere, expectEachCommittedOnce, expectNoFork } from "../support/invariants.js";
import { LoadGenerator } from "../support/load.js";
import { equivocationReports, errorReports } from "../support/logs.js";
import { E2eTestnet } from "../support/testnet.js";
import { createNamespace, recordPut } from "../support/txs.js";
import { waitFor } from "../support/wait.js";

/** n4f0: four validators, all honest and up. The happy path every other e2e file starts from. */
describe("a 4-validator testnet of hansa processes", { timeout: 90_000 }, () => {
  let net: E2eTestnet;
  let monitor: HeightMonitor;
  let chainId: string;

  beforeAll(async () => {
    net = await E2eTestnet.create({ label: "testnet" });
    chainId = net.layout.chainId;
    await net.start();
    monitor = new HeightMonitor(net.nodes);
    monitor.start();
  }, 60_000);

  afterAll(async () => {
    monitor?.stop();
    await net?.destroy();
  });

  it("commits blocks, and every node reports the same hash at every height", async () => {
    await waitFor("every node at height 3", async () =>
      (await Promise.all(net.nodes.map((n) => n.height()))).every((h) => h >= 3),
    );
    const status = await net.node(0).client.chainStatus();
    expect(status.chainId).toBe(chainId);
    expect(status.isValidator).toBe(true);
    await waitFor(
      "node 1 connected to the other three",
      async () => (await net.node(0).client.chainStatus()).peers === 3,
    );
    await expectNoFork(net.nodes);
  });

  it("puts a transaction submitted to one node in the same block on all four, with a verifying proof", async () => {
    const org1 = net.account(0);
    const nonce = await createNamespace(net.node(0).client, chainId, org1, "shipments");
    const tx = recordPut(chainId, org1, nonce, "shipments", "SH-1042", "departed Hamburg");
    // Node 2 admits the write only once it has committed the namespace itself (admission checks the
    // committed state), so wait for it to reach node 1's height first.
    const namespaceHeight = await net.node(0).height();
    await waitFor("node 2 has the namespace", async () => (await net.node(1).height()) >= namespaceHeight);
    // Submitted to node 2, not the node that created the namespace: gossip and consensus carry it.
    const committed = await net.node(1).client.txSubmitAndWait(tx, 20_000);
    expect(committed.receipt.ok).toBe(true);
    await waitFor("all nodes at the commit height", async () =>
      (await Promise.all(net.nodes.map((n) => n.height()))).every((h) => h >= committed.height),
    );
    await expectCommittedEverywhere(net.nodes, committed.hash);
    for (const node of net.nodes) {
      const value = await node.client.stateGet("shipments", "SH-1042");
      expect(value.value, node.moniker).toBe(bytesTo0x(utf8ToBytes("departed Hamburg")));
    }
  });

  it("commits every transaction of a concurrent load through all four nodes exactly once", async () => {
    // One sender per node, so each sender's nonces stay in order on one mempool.
    const loads: LoadGenerator[] = [];
    for (const [i, node] of net.nodes.entries()) {
      const account = net.account(i);
      const namespace = `load-${i}`;
      const firstNonce = await createNamespace(node.client, chainId, account, namespace);
      loads.push(new LoadGenerator({ chainId, node, account, namespace, firstNonce }));
    }
    for (const load of loads) load.start();
    await waitFor("40 transactions accepted", () => loads.every((l) => l.accepted.length >= 10));
    await Promise.all(loads.map((l) => l.stop()));
    for (const load of loads) expect(Object.fromEntries(load.refusals)).toEqual({});

    const hashes = loads.flatMap((l) => l.accepted);
    const last = loads.map((l) => l.accepted.at(-1) as string);
    await waitFor(
      "the last transaction of every sender committed on every node",
      async () => {
        for (const node of net.nodes) {
          for (const hash of last) if ((await node.client.txGet(hash)).status !== "committed") return false;
        }
        return true;
      },
      { timeoutMs: 30_000 },
    );
    for (const hash of hashes) await expectCommittedEverywhere(net.nodes, hash);
    await expectEachCommittedOnce(net.node(2), hashes);
    await expectNoFork(net.nodes);
  });

  it("kept every height monotonic and saw no equivocation", async () => {
    expect(monitor.regressions()).toEqual([]);
    expect(monitor.samples.length).toBeGreaterThan(0);
    expect(await equivocationReports(net.nodes)).toEqual([]);
    expect(await errorReports(net.nodes)).toEqual([]);
  });
});
