import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HeightMonitor } from "../support/height-monitor.js";
import { expectNoFork } from "../support/invariants.js";
import { LoadGenerator } from "../support/load.js";
import { equivocationReports, errorReports } from "../support/logs.js";
import type { NodeProcess } from "../support/node-process.js";
import type { BlockJson } from "../support/rpc-types.js";
import { E2eTestnet } from "../support/testnet.js";
import { createNamespace } from "../support/txs.js";
import { waitFor } from "../support/wait.js";

const HOLD_MESSAGE = "empty store while peers are at a later height: syncing, voting resumes after a height without us";

/** Validator indexes whose signatures a block's certificates carry, as seen by `node`. */
async function signersAt(node: NodeProcess, height: number): Promise<Set<number>> {
  const block: BlockJson = await node.client.blockGet(height);
  const next: BlockJson = await node.client.blockGet(height + 1);
  const certificates = [block.commit, next.lastCommit].filter((c) => c !== null);
  return new Set(certificates.flatMap((c) => c.signatures.map((s) => s.validatorIndex)));
}

/**
 * A validator loses its disk (its data folder is deleted while it is down) and comes back with an empty
 * store. It may have signed votes at the heights being decided when it died, and it no longer has its
 * write-ahead records to know which: it must sync first and stay silent until a height it cannot have
 * voted on has been committed without it.
 */
describe("a validator restarted with an empty data folder", () => {
  let net: E2eTestnet;
  let monitor: HeightMonitor;
  let load: LoadGenerator;

  beforeAll(async () => {
    net = await E2eTestnet.create({ label: "disk-loss" });
    await net.start();
    monitor = new HeightMonitor(net.nodes);
    monitor.start();
    const chainId = net.layout.chainId;
    const node = net.node(0);
    const account = net.account(0);
    const firstNonce = await createNamespace(node.client, chainId, account, "disk-loss");
    load = new LoadGenerator({ chainId, node, account, namespace: "disk-loss", firstNonce });
    load.start();
  }, 60_000);

  afterAll(async () => {
    await load?.stop();
    monitor?.stop();
    await net?.destroy();
  });

  it("syncs first, votes only after a height it cannot have signed, and no one sees an equivocation", async () => {
    const victim = net.node(3);
    const others = net.nodes.filter((n) => n !== victim);
    await waitFor("the victim at height 5", async () => (await victim.height()) >= 5);

    await victim.kill();
    const lifeBeforeWipe = victim.starts;
    // The last height it committed, from its own log (written synchronously, so it survives SIGKILL). It may
    // have signed votes one height above that before it died.
    const before = await victim.logLines();
    const lastCommitted = Math.max(...before.filter((l) => l.msg === "block committed").map((l) => l.height as number));
    await rm(join(victim.node.home, "data"), { recursive: true, force: true });
    // The rest commit a few heights without it, so the height it holds back on is one it never saw before.
    await waitFor(`the other three past height ${lastCommitted + 3}`, async () =>
      (await Promise.all(others.map((n) => n.height()))).every((h) => h >= lastCommitted + 3),
    );

    victim.start();
    await victim.waitHealthy();
    const target = Math.max(...(await Promise.all(others.map((n) => n.height()))));
    await waitFor(`${victim.moniker} synced to ${target}`, async () => (await victim.height()) >= target, {
      timeoutMs: 45_000,
    });

    const resumed = await waitFor(
      `${victim.moniker} to resume voting`,
      async () => (await victim.logLines()).slice(before.length).find((l) => l.msg === "voting resumes"),
      { timeoutMs: 45_000 },
    );
    // This life's log, in order: it noticed the lost store, started without voting, synced, then resumed.
    const life = (await victim.logLines()).slice(before.length);
    const held = life.find((l) => l.msg === HOLD_MESSAGE);
    expect(held, "the restarted node noticed it lost its store").toBeDefined();
    expect(life.find((l) => l.msg === "node started")?.voting).toBe(false);
    const positions = [HOLD_MESSAGE, "synced", "voting resumes"].map((msg) => life.findIndex((l) => l.msg === msg));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    const resumeAt = resumed.fromHeight as number;
    const peerHeight = held?.peerHeight as number;
    expect(peerHeight).toBeGreaterThanOrEqual(lastCommitted);
    // It sat out at least one whole height beyond anything it could have signed before the crash.
    expect(resumeAt).toBeGreaterThan(peerHeight + 1);
    expect(resumeAt).toBeGreaterThan(lastCommitted + 2);

    // Black-box view: no certificate of a height it could not have signed before dying, up to the height
    // it resumes at, carries its signature; and from there on it signs again.
    const validators = (await net.node(0).client.chainValidators()).validators.map((v) => v.publicKey);
    const index = validators.indexOf(victim.node.publicKey);
    expect(index).toBeGreaterThanOrEqual(0);
    await waitFor("every node past the resume height", async () =>
      (await Promise.all(net.nodes.map((n) => n.height()))).every((h) => h > resumeAt),
    );
    for (let h = lastCommitted + 2; h < resumeAt; h++) {
      for (const node of others)
        expect(await signersAt(node, h), `signers of ${h} on ${node.moniker}`).not.toContain(index);
    }
    await waitFor(`${victim.moniker} signing a commit at or after ${resumeAt}`, async () => {
      const latest = await net.node(0).client.blockGet("latest");
      return latest.header.height > resumeAt && latest.lastCommit?.signatures.some((s) => s.validatorIndex === index);
    });

    await load.stop();
    await expectNoFork(net.nodes);
    expect(monitor.regressions({ [victim.moniker]: lifeBeforeWipe })).toEqual([]);
    expect(await equivocationReports(net.nodes)).toEqual([]);
    expect(await errorReports(net.nodes)).toEqual([]);
  }, 120_000);
});
