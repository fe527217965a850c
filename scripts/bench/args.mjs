import { parseArgs } from "node:util";

/** Command-line flags of `pnpm bench`; every number has a default that finishes in about three minutes. */
const FLAGS = {
  validators: { type: "string", default: "4" },
  accounts: { type: "string", default: "64" },
  txs: { type: "string", default: "0" },
  duration: { type: "string", default: "60" },
  rate: { type: "string", default: "1000" },
  "rate-duration": { type: "string", default: "30" },
  "low-rate": { type: "string", default: "10" },
  "low-duration": { type: "string", default: "15" },
  batch: { type: "string", default: "250" },
  backlog: { type: "string", default: "3000" },
  blocks: { type: "string", default: "10000" },
  "max-block-txs": { type: "string", default: "0" },
  "timeout-propose": { type: "string", default: "0" },
  sweep: { type: "boolean", default: false },
  catchup: { type: "boolean", default: false },
  etcd: { type: "boolean", default: false },
  "no-append": { type: "boolean", default: false },
  keep: { type: "boolean", default: false },
  "cpu-prof": { type: "string", default: "" },
  help: { type: "boolean", default: false },
};

export const USAGE = `pnpm bench [flags]
  --validators N      validators in the testnet (default 4; 2 in --catchup)
  --accounts K        funded writer accounts (default 64)
  --txs M             transactions to pre-sign (default: enough for every phase at 3,000 tx/s)
  --duration S        sustained saturation window in seconds (default 60, at least 60 for a recorded figure)
  --rate R            offered load of the fixed-rate phase, tx/s (default 1000)
  --rate-duration S   length of the fixed-rate phase (default 30)
  --low-rate R        offered load of the light phase, tx/s (default 10)
  --low-duration S    length of the light phase (default 15)
  --batch B           transactions per JSON-RPC batch request (default 250)
  --backlog C         at saturation, most transactions submitted but not yet committed (default 3000)
  --max-block-txs T   genesis maxBlockTxs of the bench chain (default: the genesis default)
  --timeout-propose T genesis timeoutProposeMs of the bench chain (default: the genesis default)
  --sweep             repeat the run for N in 1, 4, 7, 10 and compare
  --catchup           measure how fast a node 10,000 empty blocks behind catches up (--blocks to change)
  --blocks B          blocks behind in --catchup (default 10000)
  --etcd              also run /work/shared/bench/etcd-baseline.sh in the same sitting
  --no-append         print only; do not append to docs/benchmarks.md
  --keep              keep the temporary testnet folder (node logs) after the run
  --cpu-prof DIR      run the first validator (the catching-up node in --catchup) under \`node --cpu-prof\`,
                      writing its profile to DIR
Environment:
  HANSA_BENCH_NODE_FLAGS="..."  extra Node/V8 flags for every validator, after the defaults (experiments:
                      e.g. "--max-semi-space-size=32", or "--inspect=127.0.0.1:9339" for the first to bind)`;

function positive(name, text, { allowZero = false } = {}) {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0))
    throw new RangeError(`"--${name}" expected a positive number, got ${text}`);
  return n;
}

export function parseBenchArgs(argv) {
  const { values } = parseArgs({ args: argv, options: FLAGS, strict: true });
  const validatorsGiven = argv.some((a) => a.startsWith("--validators"));
  return {
    validators: values.catchup && !validatorsGiven ? 2 : Math.round(positive("validators", values.validators)),
    accounts: Math.round(positive("accounts", values.accounts)),
    txs: Math.round(positive("txs", values.txs, { allowZero: true })),
    durationS: positive("duration", values.duration),
    rate: positive("rate", values.rate),
    rateDurationS: positive("rate-duration", values["rate-duration"]),
    lowRate: positive("low-rate", values["low-rate"]),
    lowDurationS: positive("low-duration", values["low-duration"]),
    batch: Math.round(positive("batch", values.batch)),
    backlog: Math.round(positive("backlog", values.backlog)),
    blocks: Math.round(positive("blocks", values.blocks)),
    maxBlockTxs: Math.round(positive("max-block-txs", values["max-block-txs"], { allowZero: true })),
    timeoutProposeMs: Math.round(positive("timeout-propose", values["timeout-propose"], { allowZero: true })),
    sweep: values.sweep,
    catchup: values.catchup,
    etcd: values.etcd,
    append: !values["no-append"],
    keep: values.keep,
    cpuProfDir: values["cpu-prof"],
    help: values.help,
  };
}
