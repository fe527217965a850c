import { setupWriters } from "./accounts.mjs";
import { startNode, waitHealthy } from "./cluster.mjs";
import { drain, NodeQueues, saturate } from "./load.mjs";
import { memory } from "./proc.mjs";
import { call } from "./rpc.mjs";
import { presign } from "./signing.mjs";
import { cpuNow, cpuPercent, openTestnet, watchChain } from "./testnet.mjs";

/** Transactions per block while the chain is built, so every block executes real work. */
const TXS_PER_BLOCK = 2;
/** The heartbeat is pushed out of the way so the chain stops growing once the load stops. */
const QUIET_HEARTBEAT_MS = 3_600_000;

/**
 * Catch-up: the validators build a chain of `blocks` small blocks while an observer node stays off; then the
 * observer starts with an empty store and syncs it from its peers (fetch, verify each commit certificate,
 * execute, store). Blocks/s is counted from its first synced block to the tip, and from process start.
 */
export async function runCatchup(opts, log) {
  const testnet = await openTestnet({
    validators: opts.validators,
    observers: 1,
    consensusParams: { maxBlockTxs: TXS_PER_BLOCK, emptyBlockIntervalMs: QUIET_HEARTBEAT_MS },
    keep: opts.keep,
    log,
  });
  try {
    const { layout } = testnet;
    const writers = await setupWriters({ layout, count: Math.max(opts.accounts, opts.validators), log });
    const count = opts.blocks * TXS_PER_BLOCK;
    const { queues, ids } = presign({ chainId: layout.chainId, writers, nodeCount: opts.validators, count });
    const watch = await watchChain(testnet, { ids, capacity: count });
    const startHeight = (await call(layout.nodes[0].rpcUrl, "chain_status")).height;
    log(`building ${opts.blocks} blocks of ${TXS_PER_BLOCK} transactions from height ${startHeight}`);
    const buildStart = Date.now();
    await saturate({
      watch,
      nodes: layout.nodes,
      queues: new NodeQueues(queues),
      batch: opts.batch,
      backlog: opts.backlog,
      durationMs: 24 * 3_600_000,
      phase: 0,
    });
    if ((await drain(watch, 120_000)) > 0) throw new Error("the chain did not commit every transaction");
    const target = (await call(layout.nodes[0].rpcUrl, "chain_status")).height;
    const productionBlocksPerS = (target - startHeight) / ((Date.now() - buildStart) / 1000);
    log(`chain at height ${target} (${productionBlocksPerS.toFixed(0)} blocks/s while built); starting the observer`);

    const observer = layout.observers[0];
    const spawnedAt = Date.now();
    const [proc] = [startNode(observer)];
    testnet.procs.push(proc);
    await waitHealthy([observer]);
    const before = cpuNow([proc]);
    let first;
    let height = 0;
    while (height < target) {
      await new Promise((r) => setTimeout(r, 50));
      height = (await call(observer.rpcUrl, "chain_status")).height;
      if (first === undefined && height > 0) first = { at: Date.now(), height };
      if (Date.now() - spawnedAt > 600_000)
        throw new Error(`observer reached only height ${height} of ${target} in 10 min`);
    }
    const doneAt = Date.now();
    const after = cpuNow([proc]);
    return {
      validators: opts.validators,
      behind: target,
      txsPerBlock: TXS_PER_BLOCK,
      blocksPerS: (target - first.height) / ((doneAt - first.at) / 1000),
      blocksPerSWithStartup: target / ((doneAt - spawnedAt) / 1000),
      productionBlocksPerS,
      cpuPercent: cpuPercent(before, after)[0],
      peakRss: memory(proc.pid)?.peakRss ?? Number.NaN,
    };
  } finally {
    await testnet.close();
  }
}
