import { setupWriters } from "./accounts.mjs";
import { drain, NodeQueues, openLoop, saturate } from "./load.mjs";
import { lateGrowth, RssSampler } from "./proc.mjs";
import { presign } from "./signing.mjs";
import { summarize } from "./stats.mjs";
import { cpuNow, cpuPercent, openTestnet, peakRss, watchChain } from "./testnet.mjs";

/** Seconds of saturation before the measured window starts: mempools fill and block sizes settle. */
const WARMUP_S = 5;
/** Throughput the default `--txs` leaves room for in the saturation window. */
const HEADROOM_TX_PER_S = 3_000;

export function defaultTxCount(opts) {
  return (
    Math.ceil(opts.lowRate * opts.lowDurationS) +
    Math.ceil(opts.rate * opts.rateDurationS) +
    Math.ceil(HEADROOM_TX_PER_S * (opts.durationS + WARMUP_S))
  );
}

/** Block statistics over one measured window, from block headers. */
function blockStats(watch, from, to) {
  const blocks = watch.blocksBetween(from, to);
  const txs = blocks.reduce((s, b) => s + b.txs, 0);
  const gaps = [];
  for (let i = 1; i < blocks.length; i++) gaps.push(blocks[i].time - blocks[i - 1].time);
  const gap = summarize(gaps);
  return {
    blocks: blocks.length,
    txs,
    committedPerS: txs / ((to - from) / 1000),
    blockTimeMs: gap.mean,
    blockTimeP50Ms: gap.p50,
    txsPerBlock: blocks.length ? txs / blocks.length : 0,
  };
}

/**
 * The full measurement on one fresh testnet of `validators` nodes: a light open-loop phase, a fixed-rate
 * open-loop phase, then saturation over the sustained window. Returns plain numbers for the report.
 */
export async function runScenario(opts, validators, log) {
  const consensusParams = {
    ...(opts.maxBlockTxs ? { maxBlockTxs: opts.maxBlockTxs } : {}),
    ...(opts.timeoutProposeMs ? { timeoutProposeMs: opts.timeoutProposeMs } : {}),
  };
  const testnet = await openTestnet({ validators, consensusParams, keep: opts.keep, cpuProfDir: opts.cpuProfDir, log });
  try {
    const { layout, procs } = testnet;
    const writers = await setupWriters({ layout, count: Math.max(opts.accounts, validators), log });
    const count = opts.txs || defaultTxCount(opts);
    const signStart = Date.now();
    const { queues, ids } = presign({ chainId: layout.chainId, writers, nodeCount: validators, count });
    log(`pre-signed ${count} transactions in ${((Date.now() - signStart) / 1000).toFixed(1)} s (not timed)`);
    const watch = await watchChain(testnet, { ids, capacity: count });
    const rssSampler = new RssSampler(procs.map((p) => p.pid));
    const nodeQueues = new NodeQueues(queues);
    const phases = [
      { name: `${opts.lowRate} tx/s`, kind: "open", rate: opts.lowRate, durationMs: opts.lowDurationS * 1000 },
      { name: `${opts.rate} tx/s`, kind: "open", rate: opts.rate, durationMs: opts.rateDurationS * 1000 },
      { name: "saturation", kind: "saturate", durationMs: (opts.durationS + WARMUP_S) * 1000 },
    ];
    const results = [];
    for (const [index, phase] of phases.entries()) {
      log(`phase ${phase.name}: ${phase.durationMs / 1000} s`);
      const before = cpuNow(procs);
      const start = Date.now();
      const common = { watch, nodes: layout.nodes, queues: nodeQueues, durationMs: phase.durationMs, phase: index };
      const load =
        phase.kind === "open"
          ? await openLoop({ ...common, rate: phase.rate })
          : await saturate({ ...common, batch: opts.batch, backlog: opts.backlog });
      const end = Date.now();
      const after = cpuNow(procs);
      // A saturation phase cut short (out of transactions) is measured whole rather than not at all.
      const warmedUp = phase.kind === "saturate" && end - start > 2 * WARMUP_S * 1000;
      const windowStart = warmedUp ? start + WARMUP_S * 1000 : start;
      const left = await drain(watch);
      const latency = summarize(watch.latencies.get(index) ?? []);
      results.push({
        name: phase.name,
        kind: phase.kind,
        offeredPerS: load.offered / load.seconds,
        offered: load.offered,
        windowS: (end - windowStart) / 1000,
        ranOut: load.ranOut ?? false,
        uncommitted: left,
        errors: Object.fromEntries(load.errors),
        latency,
        ...blockStats(watch, windowStart, end),
        cpuPercent: cpuPercent(before, after),
      });
      const r = results.at(-1);
      log(
        `  committed ${r.committedPerS.toFixed(0)} tx/s, p50 ${r.latency.p50.toFixed(0)} ms, p99 ${r.latency.p99.toFixed(0)} ms` +
          (load.errors.size ? `, refused ${JSON.stringify(r.errors)}` : "") +
          (r.ranOut ? " (ran out of pre-signed transactions: raise --txs)" : ""),
      );
    }
    const rssSamples = rssSampler.stop();
    return {
      validators,
      accounts: writers.length,
      txs: count,
      phases: results,
      peakRss: peakRss(procs),
      rssSamples,
      rssLateGrowth: lateGrowth(rssSamples),
      anonLateGrowth: lateGrowth(rssSamples, 2),
    };
  } finally {
    await testnet.close();
  }
}
