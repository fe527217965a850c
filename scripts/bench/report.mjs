import { appendFile, readFile, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { RESULTS_FILE } from "./paths.mjs";

/** Renders results as markdown tables (readable in a terminal too) and appends them to docs/benchmarks.md. */

const int = (x) => (Number.isFinite(x) ? (Math.round(x) || 0).toLocaleString("en-US") : "–");
const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)}` : "–");
const mb = (bytes) => (Number.isFinite(bytes) ? `${Math.round(bytes / 2 ** 20)}` : "–");
const pct = (x) => (Number.isFinite(x) ? `${Math.round(x)}%` : "–");
const check = (ok) => (ok ? "met" : "**missed**");

export const TARGETS = { txPerS: 2_000, p99AtRateMs: 1_500, p50AtLowMs: 250, peakRssMb: 250 };

function table(header, rows) {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

export function machineLine(command) {
  const model = cpus()[0]?.model?.trim() ?? "unknown CPU";
  return `${cpus().length} cores (${model}), Node ${process.version}, \`${command}\`, ${new Date().toISOString()}`;
}

export function renderScenario(r, ceiling) {
  const [low, fixed, sat] = r.phases;
  const rows = r.phases.map((p) => [
    p.kind === "saturate" ? `saturation, ${Math.round(p.windowS)} s window` : `open loop ${p.name}`,
    int(p.offeredPerS),
    int(p.committedPerS),
    ms(p.latency.p50),
    ms(p.latency.p95),
    ms(p.latency.p99),
    ms(p.blockTimeMs),
    int(p.txsPerBlock),
    p.cpuPercent.map(pct).join(" "),
    Object.entries(p.errors)
      .map(([code, n]) => `${code} ×${n}`)
      .join(", ") || "0",
  ]);
  const perValidator = r.peakRss.map((b, i) => `validator-${i + 1} ${mb(b)} MB`).join(", ");
  const maxRss = Math.max(...r.peakRss);
  const lines = [
    table(
      [
        "phase",
        "offered tx/s",
        "committed tx/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "block time ms",
        "tx/block",
        "CPU per validator",
        "refused",
      ],
      rows,
    ),
    "",
    `Peak RSS: ${perValidator}.`,
    rssOverTime(r),
    `Ceiling: ${int(ceiling.perCore)} native Ed25519 verifications/s per core × ${ceiling.cores} cores / ${r.validators} validators = ${int(ceiling.txPerS)} tx/s; sustained throughput is ${pct((100 * sat.committedPerS) / ceiling.txPerS)} of it.`,
  ];
  if (sat.ranOut)
    lines.push("The saturation phase ran out of pre-signed transactions; raise `--txs` for a full window.");
  if (r.validators === 4) {
    lines.push(
      `Targets (4 validators): ≥ ${int(TARGETS.txPerS)} tx/s sustained — ${check(sat.committedPerS >= TARGETS.txPerS)}; ` +
        `p99 ≤ ${TARGETS.p99AtRateMs} ms at ${fixed.name} — ${check(fixed.latency.p99 <= TARGETS.p99AtRateMs)}; ` +
        `p50 ≤ ${TARGETS.p50AtLowMs} ms at ${low.name} — ${check(low.latency.p50 <= TARGETS.p50AtLowMs)}; ` +
        `peak RSS ≤ ${TARGETS.peakRssMb} MB — ${check(maxRss / 2 ** 20 <= TARGETS.peakRssMb)}.`,
    );
  }
  return lines.join("\n");
}

export function renderSweep(results) {
  return table(
    [
      "validators",
      "ceiling tx/s",
      "sustained tx/s",
      "of ceiling",
      "p50 ms at low rate",
      "p99 ms at fixed rate",
      "p99 ms at saturation",
      "block time ms",
      "max peak RSS MB",
    ],
    results.map(({ result: r, ceiling }) => {
      const [low, fixed, sat] = r.phases;
      return [
        r.validators,
        int(ceiling.txPerS),
        int(sat.committedPerS),
        pct((100 * sat.committedPerS) / ceiling.txPerS),
        ms(low.latency.p50),
        ms(fixed.latency.p99),
        ms(sat.latency.p99),
        ms(sat.blockTimeMs),
        mb(Math.max(...r.peakRss)),
      ];
    }),
  );
}

export function renderCatchup(c) {
  const trace = c.trace.map(([s, h]) => `${s.toFixed(1)} s: ${int(h)}`).join(", ");
  return [
    table(
      [
        "validators (serving)",
        "blocks behind",
        "tx/block",
        "catch-up blocks/s",
        "incl. start-up",
        "chain built at blocks/s",
        "catching-up node CPU",
        "its peak RSS MB",
      ],
      [
        [
          `${c.validators} (${c.serving})`,
          int(c.behind),
          c.txsPerBlock,
          int(c.blocksPerS),
          int(c.blocksPerSWithStartup),
          int(c.productionBlocksPerS),
          pct(c.cpuPercent),
          mb(c.peakRss),
        ],
      ],
    ),
    "",
    `Height of the catching-up node since its start: ${trace}.`,
    `Target ≥ 1,000 blocks/s — ${check(c.blocksPerS >= 1_000)}.`,
  ].join("\n");
}

const PREAMBLE = `# Benchmarks

Results of \`pnpm bench\` (scripts/bench/), newest last. Each run starts a fresh local testnet of real \`hansa\`
processes on one machine, submits pre-signed \`record.put\` transactions over JSON-RPC batches spread over
every node, and measures from the chain: committed transactions per second from block headers, and
submit-to-commit latency from each transaction's submit time to the arrival of the block that holds it
(\`newBlocks\` on the first node). Open-loop phases offer a fixed rate; the saturation phase keeps at most
\`--backlog\` transactions in flight. CPU is percent of one core per validator (so 100% is a whole core);
peak RSS is VmHWM. The ceiling is what signature checking alone would allow: every validator verifies every
transaction once. The validators and the load driver share the machine's cores.
`;

export async function appendResults(markdown) {
  const existing = await readFile(RESULTS_FILE, "utf8").catch(() => "");
  if (existing.trim() === "") await writeFile(RESULTS_FILE, PREAMBLE);
  await appendFile(RESULTS_FILE, `\n${markdown.trim()}\n`);
}

/**
 * The largest validator's RSS (and anonymous part, RssAnon) about once a minute, and their growth from the
 * middle third to the last.
 */
function rssOverTime(r) {
  const samples = r.rssSamples ?? [];
  if (samples.length === 0) return "";
  const step = Math.max(1, Math.round(samples.length / 12));
  const series = samples
    .filter((_, i) => i % step === 0 || i === samples.length - 1)
    .map(([s, b, anon]) => `${Math.round(s)} s: ${mb(b)} (${mb(anon)})`)
    .join(", ");
  const signed = (b) => `${b >= 0 ? "+" : ""}${mb(b)} MB`;
  const growth =
    r.rssLateGrowth === undefined
      ? ""
      : `; last third vs middle third: ${signed(r.rssLateGrowth)} (anonymous ${signed(r.anonLateGrowth)})`;
  return `RSS over the run (largest validator, MB; in parentheses RssAnon, i.e. without file-backed pages such as LevelDB's memory-mapped tables): ${series}${growth}.`;
}
