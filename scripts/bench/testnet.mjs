import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChainWatch } from "./chain-watch.mjs";
import { createCluster, startNode, stopNodes, waitHealthy } from "./cluster.mjs";
import { cpuSeconds, memory } from "./proc.mjs";

/**
 * One bench testnet from start to teardown: a temp folder, the validator processes, a block subscription on
 * the first node, and CPU/RSS readings per process. `close()` stops everything it started and removes the
 * folder (unless `keep`).
 */
/** Temp folders still to remove, for the Ctrl-C path in main.mjs. */
export const openHomes = new Set();

export async function openTestnet({ validators, observers = 0, consensusParams, keep, cpuProfDir, log }) {
  const home = await mkdtemp(join(tmpdir(), "hansa-bench-"));
  if (!keep) openHomes.add(home);
  const testnet = { home, procs: [], watch: undefined };
  testnet.close = async () => {
    testnet.watch?.stop();
    await stopNodes(testnet.procs);
    if (keep) log(`testnet kept in ${home}`);
    else await removeHome(home);
  };
  try {
    testnet.layout = await createCluster({ home, validators, observers, consensusParams });
    testnet.procs = testnet.layout.nodes.map((n, i) => startNode(n, i === 0 ? { cpuProfDir } : {}));
    await waitHealthy(testnet.layout.nodes);
    log(`${validators} validator${validators === 1 ? "" : "s"} running in ${home}`);
    return testnet;
  } catch (err) {
    await testnet.close();
    throw err;
  }
}

export async function removeHome(home) {
  openHomes.delete(home);
  await rm(home, { recursive: true, force: true });
}

export async function watchChain(testnet, { ids, capacity }) {
  testnet.watch = new ChainWatch({ rpcUrl: testnet.layout.nodes[0].rpcUrl, ids, capacity });
  await testnet.watch.start();
  return testnet.watch;
}

/** CPU seconds of every validator now, to difference over a phase. */
export function cpuNow(procs) {
  return { at: Date.now(), cpu: procs.map((p) => cpuSeconds(p.pid) ?? Number.NaN) };
}

/** Percent of one core each process used between two readings. */
export function cpuPercent(before, after) {
  const seconds = (after.at - before.at) / 1000;
  return after.cpu.map((c, i) => (100 * (c - before.cpu[i])) / seconds);
}

export function peakRss(procs) {
  return procs.map((p) => memory(p.pid)?.peakRss ?? Number.NaN);
}
