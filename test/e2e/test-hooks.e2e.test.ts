import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoFork } from "../support/invariants.js";
import { call, rawError, rawPost } from "../support/raw-rpc.js";
import { E2eTestnet } from "../support/testnet.js";
import { sleep, waitFor } from "../support/wait.js";

/**
 * The fault-test instruments a node has only when started with HANSA_TEST_HOOKS=1: `test_setFaults` cuts a
 * node off from chosen validators (both sides set it, as a partition), and clearing it heals the link.
 * A node started without the variable has no such method.
 */
describe("test hooks", () => {
  let net: E2eTestnet;
  const ISOLATED = 2;

  beforeAll(async () => {
    net = await E2eTestnet.create({ label: "hooks" });
    for (const [i, node] of net.nodes.entries()) node.start(i === 0 ? {} : { HANSA_TEST_HOOKS: "1" });
    await Promise.all(net.nodes.map((n) => n.waitHealthy()));
  }, 60_000);

  afterAll(async () => {
    await net?.destroy();
  });

  const setFaults = async (index: number, faults: Record<string, unknown>) => {
    const answer = await rawPost(net.node(index).node.rpcUrl, call("test_setFaults", faults));
    const body = answer.body as { result?: Record<string, unknown>; error?: unknown };
    if (!body.result) throw new Error(`test_setFaults failed: ${JSON.stringify(body.error)}`);
    return body.result;
  };

  it("exist only on a node started with HANSA_TEST_HOOKS=1, and check their params", async () => {
    const absent = await rawError(net.node(0).node.rpcUrl, call("test_setFaults", {}));
    expect(absent.error.data.code).toBe("RPC_METHOD_NOT_FOUND");
    const bad = await rawError(net.node(1).node.rpcUrl, call("test_setFaults", { lossRate: 2 }));
    expect(bad.error.data.code).toBe("RPC_INVALID_PARAMS");
    expect(await setFaults(1, {})).toMatchObject({ delayMs: 0, lossRate: 0, blockPeers: [] });
  });

  it("a node cut off from every peer stalls, the other three go on, and it catches up once healed", async () => {
    const others = net.nodes.filter((_, i) => i !== ISOLATED);
    const isolatedKey = net.node(ISOLATED).node.publicKey;
    await waitFor("height 2 everywhere", async () =>
      (await Promise.all(net.nodes.map((n) => n.height()))).every((h) => h >= 2),
    );

    // Node 0 has no hooks: cutting the isolated node's side alone must hold, as its gater refuses node 0 too.
    await setFaults(ISOLATED, { blockPeers: others.map((n) => n.node.publicKey) });
    for (const i of [1, 3]) await setFaults(i, { blockPeers: [isolatedKey] });
    await waitFor(
      "the isolated node to have no peers",
      async () => (await net.node(ISOLATED).client.netPeers()).length === 0,
    );
    const stalledAt = await net.node(ISOLATED).height();
    const othersAt = await net.node(0).height();
    await waitFor("three more heights without it", async () => (await net.node(0).height()) >= othersAt + 3, {
      timeoutMs: 30_000,
    });
    await sleep(500);
    expect(await net.node(ISOLATED).height(), "a node alone commits nothing").toBeLessThanOrEqual(stalledAt + 1);

    for (const i of [1, 2, 3]) await setFaults(i, {});
    const target = await net.node(0).height();
    await waitFor("the healed node to catch up", async () => (await net.node(ISOLATED).height()) >= target, {
      timeoutMs: 45_000,
    });
    await expectNoFork(net.nodes);
  }, 120_000);
});
