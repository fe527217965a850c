import { startNode, stopNodes, waitHealthy } from "./cluster.mjs";
import { memory } from "./proc.mjs";
import { call } from "./rpc.mjs";
import { cpuNow, cpuPercent, openTestnet } from "./testnet.mjs";

/**
 * Empty blocks back to back: the heartbeat fires 1 ms after the tip and no round waits on a timeout, so the
 * validators build the chain as fast as they can agree (hundreds of blocks/s) instead of 2-transaction blocks
 * through the mempool (which took tens of minutes for 10,000 blocks).
 */
const FAST_CHAIN = {
  emptyBlockIntervalMs: 1,
  timeoutCommitMs: 0,
  timeoutProposeMs: 200,
  timeoutPrevoteMs: 100,
  timeoutPrecommitMs: 100,
  timeoutDeltaMs: 100,
};
/** How often the catching-up node's height is read. */
const POLL_MS = 100;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const heightOf = async (n) => (await call(n.rpcUrl, "chain_status")).height;

/**
 * Catch-up: the validators build a chain of `blocks` empty blocks while an observer node stays off; then
 * enough validators stop that the rest cannot reach a quorum, so the tip stays put and the catching-up node
 * has the cores to itself apart from the validators serving it. The observer starts with an empty store and
 * syncs from them (fetch, verify each commit certificate, execute, store). Its height is read every 100 ms;
 * blocks/s is counted from its first synced block to the tip, and from process start.
 */
export async function runCatchup(opts, log) {
  if (opts.validators < 2)
    throw new Error("--catchup needs at least 2 validators: stopping some must halt the chain at its tip");
  const testnet = await openTestnet({
    validators: opts.validators,
    observers: 1,
    consensusParams: FAST_CHAIN,
    keep: opts.keep,
    log,
  });
  try {
    const { layout } = testnet;
    const first = layout.nodes[0];
    log(`building ${opts.blocks} empty blocks`);
    const buildStart = Date.now();
    const startHeight = await heightOf(first);
    let built = startHeight;
    while (built < opts.blocks) {
      await sleep(500);
      built = await heightOf(first);
      if (Date.now() - buildStart > 1_800_000) throw new Error(`chain reached only ${built} blocks in 30 min`);
    }
    // Without more than 2/3 of the power the survivors commit nothing more: the tip is fixed from here on.
    const keep = Math.floor((2 * opts.validators) / 3);
    const stopped = testnet.procs.slice(keep);
    await stopNodes(stopped);
    const serving = layout.nodes.slice(0, keep);
    await sleep(1_000);
    const tips = await Promise.all(serving.map(heightOf));
    const target = Math.min(...tips);
    const productionBlocksPerS = (target - startHeight) / ((Date.now() - buildStart) / 1000);
    log(
      `chain at height ${target} (${productionBlocksPerS.toFixed(0)} blocks/s while built); ` +
        `${stopped.length} validator(s) stopped, ${serving.length} serving; starting the observer`,
    );

    const observer = layout.observers[0];
    const spawnedAt = Date.now();
    const proc = startNode(observer, { cpuProfDir: opts.cpuProfDir });
    testnet.procs.push(proc);
    await waitHealthy([observer]);
    const before = cpuNow([proc]);
    const trace = [];
    let firstSynced;
    let height = 0;
    while (height < target) {
      await sleep(POLL_MS);
      height = await heightOf(observer);
      const at = Date.now();
      trace.push({ at, height });
      if (firstSynced === undefined && height > 0) firstSynced = { at, height };
      if (at - spawnedAt > 600_000) throw new Error(`observer reached only height ${height} of ${target} in 10 min`);
    }
    const doneAt = Date.now();
    const after = cpuNow([proc]);
    return {
      validators: opts.validators,
      serving: serving.length,
      behind: target,
      txsPerBlock: 0,
      blocksPerS: (target - firstSynced.height) / ((doneAt - firstSynced.at) / 1000),
      blocksPerSWithStartup: target / ((doneAt - spawnedAt) / 1000),
      productionBlocksPerS,
      cpuPercent: cpuPercent(before, after)[0],
      peakRss: memory(proc.pid)?.peakRss ?? Number.NaN,
      trace: everySecond(trace, spawnedAt),
    };
  } finally {
    await testnet.close();
  }
}

/** The height trace thinned to about one reading per second, as [seconds since start, height]. */
function everySecond(trace, since) {
  const out = [];
  let next = 0;
  for (const { at, height } of trace) {
    const s = (at - since) / 1000;
    if (s >= next || height === trace.at(-1).height) {
      out.push([s, height]);
      next = Math.floor(s) + 1;
      if (height === trace.at(-1).height) break;
    }
  }
  return out;
}
