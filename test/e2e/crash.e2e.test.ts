import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HeightMonitor } from "../support/height-monitor.js";
import { expectCommittedEverywhere, expectEachCommittedOnce, expectNoFork } from "../support/invariants.js";
import { LoadGenerator } from "../support/load.js";
import { equivocationReports, errorReports } from "../support/logs.js";
import type { NodeProcess } from "../support/node-process.js";
import { E2eTestnet } from "../support/testnet.js";
import { createNamespace } from "../support/txs.js";
import { sleep, waitFor } from "../support/wait.js";

/**
 * n4f1 and n4f2 with crashes: validators are killed with SIGKILL (no shutdown code runs) while transactions
 * flow, then restarted from what their store holds. Invariants are checked over RPC only.
 */
describe("kill -9 of validators under load", () => {
  let net: E2eTestnet;
  let monitor: HeightMonitor;
  const loads: LoadGenerator[] = [];

  const heights = (nodes: readonly NodeProcess[]) => Promise.all(nodes.map((n) => n.height()));
  const top = async (nodes: readonly NodeProcess[]) => Math.max(...(await heights(nodes)));

  beforeAll(async () => {
    net = await E2eTestnet.create({ label: "crash" });
    await net.start();
    monitor = new HeightMonitor(net.nodes);
    monitor.start();
    const chainId = net.layout.chainId;
    // Load enters through nodes 1 and 2, which stay up; nodes 3 and 4 are the ones killed, so no accepted
    // transaction can be lost with a killed node's mempool.
    for (const i of [0, 1]) {
      const node = net.node(i);
      const account = net.account(i);
      const namespace = `crash-${i}`;
      const firstNonce = await createNamespace(node.client, chainId, account, namespace);
      loads.push(new LoadGenerator({ chainId, node, account, namespace, firstNonce }));
    }
    for (const load of loads) load.start();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(loads.map((l) => l.stop()));
    monitor?.stop();
    await net?.destroy();
  });

  it("one validator killed at any moment: the rest go on; it restarts from its store and catches up", async () => {
    // Each cycle waits `delayMs` after the previous one ended (its victim caught up), then kills. A delay of
    // 0 on the same victim kills it just as it rejoined consensus; `againWhileStarting` kills it a second
    // time as soon as it answers /health, while it is still replaying and syncing.
    const cycles = [
      { victim: 3, delayMs: 400, againWhileStarting: false },
      { victim: 3, delayMs: 0, againWhileStarting: false },
      { victim: 2, delayMs: 900, againWhileStarting: true },
      { victim: 2, delayMs: 150, againWhileStarting: false },
    ];
    for (const cycle of cycles) {
      const victim = net.node(cycle.victim);
      const others = net.nodes.filter((n) => n !== victim);
      await sleep(cycle.delayMs);
      await victim.kill();
      const reachedBeforeKill = monitor.highest(victim);

      // The remaining three are a quorum (30 of 40 power): they keep committing.
      const atKill = await top(others);
      await waitFor(`the other three past height ${atKill + 3}`, async () =>
        (await heights(others)).every((h) => h >= atKill + 3),
      );

      victim.start();
      await victim.waitHealthy();
      if (cycle.againWhileStarting) {
        await victim.kill();
        victim.start();
        await victim.waitHealthy();
      }
      // Resumes from its store: never reports a height below what it had before the crash.
      expect(await victim.height()).toBeGreaterThanOrEqual(reachedBeforeKill);
      const target = await top(others);
      await waitFor(`${victim.moniker} caught up to ${target}`, async () => (await victim.height()) >= target);
    }
    // Both victims vote again: their signatures appear in certificates of blocks committed from now on.
    const from = await top(net.nodes);
    const validators = (await net.node(0).client.chainValidators()).validators.map((v) => v.publicKey);
    for (const victim of [net.node(2), net.node(3)]) {
      const index = validators.indexOf(victim.node.publicKey);
      expect(index).toBeGreaterThanOrEqual(0);
      await waitFor(`${victim.moniker} signing a commit after height ${from}`, async () => {
        const latest = await net.node(0).client.blockGet("latest");
        if (latest.header.height <= from || !latest.lastCommit) return false;
        return latest.lastCommit.signatures.some((s) => s.validatorIndex === index);
      });
    }
    await expectNoFork(net.nodes);
  }, 150_000);

  it("two of four killed: no block is committed and none forked; the chain resumes when they return", async () => {
    const survivors = [net.node(0), net.node(1)];
    const victims = [net.node(2), net.node(3)];
    // Node 2 is crashed below while the chain stands still: its load stops first so that no transaction it
    // accepted can be lost with its mempool.
    await loads[1]?.stop();
    await Promise.all(victims.map((v) => v.kill()));

    // A commit already under way when they died may still land; after that, 20 of 40 power is no quorum.
    // Settled means: no new height for 1.5 s.
    const stalled = await waitFor("the survivors to stop committing", async () => {
      const before = await top(survivors);
      await sleep(1_500);
      return (await top(survivors)) === before ? before : undefined;
    });
    const sampledFrom = monitor.samples.length;
    await sleep(3_000);
    const during = monitor.samples.slice(sampledFrom).filter((s) => survivors.some((n) => n.moniker === s.node));
    expect(during.length).toBeGreaterThan(0);
    expect(Math.max(...during.map((s) => s.height))).toBe(stalled);
    // Transactions keep arriving; they wait in the mempool instead of being committed.
    expect((await survivors[0]?.client.mempoolStatus())?.size).toBeGreaterThan(0);
    await expectNoFork(survivors);

    // A survivor is stuck mid-height with signed votes in its WAL: kill -9 it there. It must come back from
    // its store, replay those records (so it re-sends the same votes, never conflicting ones) and still
    // not commit anything.
    const replayer = net.node(1);
    const linesBefore = (await replayer.logLines()).length;
    await replayer.kill();
    replayer.start();
    await replayer.waitHealthy();
    expect(await replayer.height()).toBeGreaterThanOrEqual(stalled - 1);
    const restored = await waitFor("the restarted survivor to replay its WAL", async () =>
      (await replayer.logLines()).slice(linesBefore).find((l) => l.msg === "consensus restored from WAL"),
    );
    expect(restored.records).toBeGreaterThan(0);
    expect(Math.max(...(await heights(survivors)))).toBe(stalled);

    for (const v of victims) v.start();
    await Promise.all(victims.map((v) => v.waitHealthy()));
    await waitFor(
      `all four past height ${stalled + 2}`,
      async () => (await heights(net.nodes)).every((h) => h >= stalled + 2),
      {
        timeoutMs: 45_000,
      },
    );
    await expectNoFork(net.nodes);
  }, 90_000);

  it("commits every accepted transaction exactly once, heights only went up, and nobody equivocated", async () => {
    await Promise.all(loads.map((l) => l.stop()));
    for (const load of loads) expect(Object.fromEntries(load.refusals)).toEqual({});
    const hashes = loads.flatMap((l) => l.accepted);
    expect(hashes.length).toBeGreaterThan(0);
    await waitFor(
      "every accepted transaction committed on all nodes",
      async () => {
        for (const load of loads) {
          const last = load.accepted.at(-1) as string;
          for (const node of net.nodes) if ((await node.client.txGet(last)).status !== "committed") return false;
        }
        return true;
      },
      { timeoutMs: 45_000 },
    );
    // Spot-check proofs on every node for a sample; exactly-once over the whole chain for all of them.
    for (const hash of hashes.filter((_, i) => i % 25 === 0)) await expectCommittedEverywhere(net.nodes, hash);
    for (const node of net.nodes) await expectEachCommittedOnce(node, hashes);
    await expectNoFork(net.nodes);
    expect(monitor.regressions()).toEqual([]);
    expect(await equivocationReports(net.nodes)).toEqual([]);
    expect(await errorReports(net.nodes)).toEqual([]);
  }, 120_000);
});
