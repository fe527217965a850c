#!/usr/bin/env node
// `pnpm sim --runs N --seed S [--n 4] [--unsafe no-locking] [--ed25519]`: randomized consensus schedules.
import { parseArgs } from "node:util";
import { FaultInjection } from "../types.js";
import { configFor } from "./config.js";
import { runSimulation } from "./run.js";

const SIZES = [1, 4, 7, 10];

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "100" },
    seed: { type: "string", default: "1" },
    n: { type: "string" },
    unsafe: { type: "string" },
    ed25519: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
  },
});

const runs = Number(values.runs);
const seed = Number(values.seed);
const fixedN = values.n === undefined ? undefined : Number(values.n);
const unsafe = values.unsafe;
if (!Number.isSafeInteger(runs) || runs < 1 || !Number.isSafeInteger(seed) || seed < 0) {
  console.error("usage: pnpm sim --runs N --seed S [--n 1|4|7|10] [--unsafe no-locking] [--ed25519]");
  process.exit(2);
}
if (unsafe !== undefined && unsafe !== FaultInjection.NO_LOCKING) {
  console.error(`unknown --unsafe variant ${unsafe}; known: ${FaultInjection.NO_LOCKING}`);
  process.exit(2);
}

let failed = 0;
let commits = 0;
for (let i = 0; i < runs; i++) {
  const s = seed + i;
  const n = fixedN ?? (SIZES[i % SIZES.length] as number);
  const config = configFor(s, n, {
    realCrypto: values.ed25519,
    ...(unsafe ? { faultInjection: unsafe as FaultInjection } : {}),
  });
  const result = runSimulation(config);
  commits += result.stats.commits;
  if (values.verbose) {
    console.log(
      `${result.ok ? "ok  " : "FAIL"} ${result.description} end=${result.endedAt}ms heights=${result.heights.join(",")}`,
    );
  }
  if (!result.ok) {
    failed++;
    console.log(`FAIL ${result.description}`);
    for (const v of result.violations) console.log(`  ${v}`);
    console.log(
      `  replay: pnpm sim --runs 1 --seed ${s} --n ${n}${unsafe ? ` --unsafe ${unsafe}` : ""}${values.ed25519 ? " --ed25519" : ""}`,
    );
  }
}
console.log(`${runs - failed}/${runs} schedules passed (seeds ${seed}..${seed + runs - 1}, ${commits} honest commits)`);
process.exit(failed > 0 ? 1 : 0);
