#!/usr/bin/env node
// `pnpm test:faults [--long] [--seed N] [--loopback] [--minutes M] [--write-docs]`: runs the fault suites
// (bounded by default, the soak with --long) through vitest and prints the results table; with
// --write-docs a passing run also puts that table into docs/reliability.md (CI leaves tracked files alone).
// Everything the run made in the kernel (namespaces, links) is removed at the end.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DOCS = join(ROOT, "docs", "reliability.md");

function parseArgs(argv) {
  const args = { long: false, seed: undefined, loopback: false, minutes: undefined, docs: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") continue;
    else if (arg === "--long") args.long = true;
    else if (arg === "--loopback") args.loopback = true;
    else if (arg === "--write-docs") args.docs = true;
    else if (arg === "--seed") args.seed = Number(argv[++i]);
    else if (arg === "--minutes") args.minutes = Number(argv[++i]);
    else throw new Error(`unknown argument ${arg}`);
  }
  if (args.seed !== undefined && !(Number.isInteger(args.seed) && args.seed >= 0)) throw new Error("--seed N");
  if (args.minutes !== undefined && !(args.minutes > 0)) throw new Error("--minutes M (a positive number)");
  return args;
}

/** What this run made in the kernel carries the runner's pid in its name (see test/faults/netns.ts). */
function removeOwnNetns() {
  const tryIp = (...a) => {
    try {
      return execFileSync("ip", a, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    } catch {
      return "";
    }
  };
  for (const line of tryIp("netns", "list").split("\n")) {
    const ns = line.split(" ")[0];
    if (!ns?.startsWith(`hansa-f${process.pid}-`)) continue;
    for (const pid of tryIp("netns", "pids", ns).split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {}
    }
    tryIp("netns", "del", ns);
  }
  for (const line of tryIp("-o", "link", "show").split("\n")) {
    const link = line.split(":")[1]?.trim().split("@")[0];
    if (link && new RegExp(`^hf${process.pid}[vbt]\\d*$`).test(link)) tryIp("link", "del", link);
  }
}

function formatMs(ms) {
  return ms === null ? "–" : `${(ms / 1000).toFixed(1)} s`;
}

function table(results) {
  const rows = [
    "| scenario | faults | acknowledged | lost | duplicated | forks | time to recover | notes |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const r of results) {
    const cells = [r.scenario, r.faults, r.acknowledged, r.lost, r.duplicated, r.forks, formatMs(r.recoverMs)];
    rows.push(`| ${[...cells, r.notes.join("; ")].map((c) => String(c).replaceAll("|", "\\|")).join(" | ")} |`);
  }
  return rows.join("\n");
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const memGb = (os.totalmem() / 2 ** 30).toFixed(0);
  return `${os.cpus().length} × ${cpu}, ${memGb} GB RAM, Linux ${os.release()}, Node ${process.version}`;
}

function writeDocs(suite, results, info) {
  const start = `<!-- results:${suite}:start -->`;
  const end = `<!-- results:${suite}:end -->`;
  const section = [
    start,
    `Run of ${info.date}: \`${info.command}\`, seed ${info.seed}, mode **${info.mode}**, ${info.wall} wall time.`,
    `Machine: ${machine()} (shared with other work: times are noisy).`,
    "",
    table(results),
    end,
  ].join("\n");
  const text = readFileSync(DOCS, "utf8");
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`${DOCS} has no ${start} … ${end} section`);
  writeFileSync(DOCS, text.slice(0, from) + section + text.slice(to + end.length));
}

const args = parseArgs(process.argv.slice(2));
const seed = args.seed ?? Math.floor(Math.random() * 2 ** 31);
const suite = args.long ? "soak" : "bounded";
const dir = mkdtempSync(join(os.tmpdir(), "hansa-faults-run-"));
const resultsFile = join(dir, "results.jsonl");
writeFileSync(resultsFile, "");
console.info(`fault suite "${suite}", seed ${seed} (repeat with --seed ${seed})`);

const env = {
  ...process.env,
  HANSA_FAULTS_SEED: String(seed),
  HANSA_FAULTS_RUN: String(process.pid),
  HANSA_FAULTS_RESULTS: resultsFile,
  ...(args.loopback ? { HANSA_FAULTS_MODE: "loopback" } : {}),
  ...(args.minutes === undefined ? {} : { HANSA_FAULTS_SOAK_MINUTES: String(args.minutes) }),
};
const vitest = join(ROOT, "node_modules", "vitest", "vitest.mjs");
const file = `test/faults/${suite}.faults.test.ts`;
const started = Date.now();
const child = spawn(process.execPath, [vitest, "run", "--config", "test/faults/vitest.config.ts", file], {
  cwd: ROOT,
  env,
  stdio: "inherit",
});
// Ctrl-C reaches vitest through the terminal; the kernel objects are removed once it has exited.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));
const code = await new Promise((resolve) => child.once("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0))));
removeOwnNetns();
const wallS = (Date.now() - started) / 1000;
const results = readFileSync(resultsFile, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line));
rmSync(dir, { recursive: true, force: true });

console.info(`\n${table(results)}\n`);
console.info(
  `fault suite "${suite}" ${code === 0 ? "passed" : "FAILED"} in ${wallS.toFixed(0)} s, seed ${seed}, mode ${results[0]?.mode ?? "?"}`,
);
if (code === 0 && args.docs && results.length > 0) {
  const shown = process.argv.slice(2).filter((a) => a !== "--" && a !== "--write-docs");
  const command = ["pnpm test:faults", ...shown].join(" ");
  // A loopback run has its own section: it never replaces the results of a run with real links.
  const section = results[0].mode.startsWith("loopback") ? `${suite}-loopback` : suite;
  writeDocs(section, results, {
    date: new Date().toISOString().slice(0, 10),
    command,
    seed,
    mode: results[0].mode,
    wall: `${Math.floor(wallS / 60)} min ${Math.round(wallS % 60)} s`,
  });
  console.info(`results written to docs/reliability.md`);
}
process.exit(code);
