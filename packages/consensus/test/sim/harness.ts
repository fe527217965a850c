import { configFor, runSimulation, type SimConfig } from "../../src/sim/index.js";

/**
 * Runs `runs` schedules of an n-validator network, seeds `firstSeed` onward, and returns one report per
 * failing schedule with the command that replays it.
 */
export function runSchedules(
  n: number,
  firstSeed: number,
  runs: number,
  overrides: Partial<SimConfig> = {},
  quiet = false,
): string[] {
  const failures: string[] = [];
  for (let seed = firstSeed; seed < firstSeed + runs; seed++) {
    const result = runSimulation(configFor(seed, n, overrides));
    if (result.ok) continue;
    const flags = `${overrides.realCrypto ? " --ed25519" : ""}${overrides.faultInjection ? ` --unsafe ${overrides.faultInjection}` : ""}`;
    const report = [
      `FAIL ${result.description}`,
      ...result.violations.map((v) => `  ${v}`),
      `  replay: pnpm sim --runs 1 --seed ${seed} --n ${n}${flags}`,
    ].join("\n");
    if (!quiet) console.error(report);
    failures.push(report);
  }
  return failures;
}
