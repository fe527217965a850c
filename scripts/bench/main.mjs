// `pnpm bench`: throughput, latency and catch-up of a local testnet of real `hansa` processes.
// Flags: see args.mjs or `pnpm bench --help`. Results print as markdown tables and are appended to
// docs/benchmarks.md. Every process the bench starts is stopped on exit, error or Ctrl-C.
import { parseBenchArgs, USAGE } from "./args.mjs";
import { runCatchup } from "./catchup.mjs";
import { ceilingFor, measureVerifyRate } from "./ceiling.mjs";
import { killAllNow, running, stopNodes } from "./cluster.mjs";
import { runEtcdBaseline } from "./etcd.mjs";
import { appendResults, machineLine, renderCatchup, renderScenario, renderSweep } from "./report.mjs";
import { closeTransport } from "./rpc.mjs";
import { runScenario } from "./scenario.mjs";
import { openHomes, removeHome } from "./testnet.mjs";

const SWEEP = [1, 4, 7, 10];

const started = Date.now();
const log = (msg) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);

process.on("exit", killAllNow);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    log(`${signal}: stopping every node`);
    await stopNodes([...running], 5_000);
    for (const home of [...openHomes]) await removeHome(home);
    process.exit(130);
  });
}

async function main(argv) {
  const opts = parseBenchArgs(argv);
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  const command = ["pnpm bench", ...argv].join(" ");
  const short = !opts.catchup && opts.durationS < 60 ? " — short run, below the 60 s sustained window" : "";
  const sections = [`## ${machineLine(command)}${short}`];
  const print = (md) => {
    console.log(`\n${md}\n`);
    sections.push(md);
  };

  if (opts.catchup) {
    print(renderCatchup(await runCatchup(opts, log)));
  } else {
    // Measured first, while no validator competes for the cores.
    const verify = measureVerifyRate();
    log(`native Ed25519: ${verify.perCore} verifications/s on one core, ${verify.cores} cores`);
    const counts = opts.sweep ? SWEEP : [opts.validators];
    const results = [];
    for (const n of counts) {
      log(`--- ${n} validator${n === 1 ? "" : "s"} ---`);
      const result = await runScenario(opts, n, log);
      const ceiling = { ...verify, txPerS: ceilingFor(verify, n) };
      results.push({ result, ceiling });
      print(
        `### ${n} validator${n === 1 ? "" : "s"}, ${result.accounts} writers\n\n${renderScenario(result, ceiling)}`,
      );
    }
    if (opts.sweep) print(`### Sweep\n\n${renderSweep(results)}`);
  }
  if (opts.etcd) {
    log("running the etcd baseline");
    print(`Baseline in the same sitting: ${await runEtcdBaseline()}`);
  }
  if (opts.append) {
    await appendResults(sections.join("\n\n"));
    log("appended to docs/benchmarks.md");
  }
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  log(`failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await stopNodes([...running]);
  closeTransport();
}
