import type { ConsensusParams } from "@hansa/core";
import { DEFAULT_CONSENSUS_PARAMS } from "@hansa/core";
import type { FaultInjection } from "../types.js";
import { Prng } from "./prng.js";

/** How a byzantine validator misbehaves; several may combine. */
export const Behavior = {
  /** Two honest engines share the key and see different parts of the network (the Twins method). */
  TWINS: "twins",
  /** Signs a conflicting vote or proposal for every one it sends, and splits them among peers. */
  EQUIVOCATE: "equivocate",
  /** Drops some or all of its outgoing messages. */
  WITHHOLD: "withhold",
  /** Builds invalid blocks, calls every block valid, and votes for invalid blocks. */
  INVALID: "invalid",
} as const;
export type Behavior = (typeof Behavior)[keyof typeof Behavior];

export interface SimConfig {
  seed: number;
  n: number;
  powers: number[];
  byzantine: { index: number; behaviors: Behavior[] }[];
  /** Honest validators that crash at `at` and restart at `restartAt` (before the network heals). */
  crashes: { index: number; at: number; restartAt: number; tornBatch: boolean }[];
  /** While active, messages between different groups are lost. */
  partitions: { from: number; to: number; groups: number[][] }[];
  lossRate: number;
  duplicateRate: number;
  maxDelayMs: number;
  healedMaxDelayMs: number;
  /** From this time on: no partitions, no loss, short delays, every honest validator up. */
  healAt: number;
  /** Every honest validator must commit this many new heights after the heal... */
  targetHeights: number;
  /** ...within this much virtual time. */
  livenessBoundMs: number;
  /** Validator powers rotate among honest validators every few heights. */
  changeValidatorSet: boolean;
  withholdRate: number;
  params: ConsensusParams;
  realCrypto: boolean;
  faultInjection?: FaultInjection;
}

export const SIM_PARAMS: ConsensusParams = {
  ...DEFAULT_CONSENSUS_PARAMS,
  timeoutProposeMs: 60,
  timeoutPrevoteMs: 30,
  timeoutPrecommitMs: 30,
  timeoutDeltaMs: 20,
  timeoutCapMs: 300,
  timeoutCommitMs: 100,
};

/** The largest total power byzantine validators may hold in a set: f, with 3f < total. */
function faultBudget(powers: number[]): number {
  return Math.floor((powers.reduce((a, b) => a + b, 0) - 1) / 3);
}

/** Derives a whole randomized schedule from (seed, n), so a seed alone replays a run. */
export function configFor(seed: number, n: number, overrides: Partial<SimConfig> = {}): SimConfig {
  const rng = new Prng(seed ^ Math.imul(n, 0x45d9f3b));
  const weighted = n > 1 && rng.chance(0.3);
  const powers = Array.from({ length: n }, () => (weighted ? rng.int(1, 5) : 1));
  let budget = faultBudget(powers);
  const byzantine: SimConfig["byzantine"] = [];
  const all = Object.values(Behavior);
  if (rng.chance(0.75)) {
    for (const index of rng.shuffle([...powers.keys()])) {
      const power = powers[index] as number;
      if (power > budget) continue;
      if (byzantine.length > 0 && rng.chance(0.3)) break;
      budget -= power;
      const behaviors = all.filter(() => rng.chance(0.4));
      byzantine.push({ index, behaviors: behaviors.length > 0 ? behaviors : [rng.pick(all)] });
    }
  }
  const byzantineSet = new Set(byzantine.map((b) => b.index));
  const honest = [...powers.keys()].filter((i) => !byzantineSet.has(i));
  const healAt = rng.pick([0, 500, 1500, 3000, 5000]);
  const crashes: SimConfig["crashes"] = [];
  if (healAt > 0) {
    const count = rng.int(0, Math.min(2, honest.length));
    for (const index of rng.shuffle(honest).slice(0, count)) {
      const at = rng.int(0, healAt - 1);
      crashes.push({ index, at, restartAt: rng.int(at + 1, healAt), tornBatch: rng.chance(0.5) });
    }
  }
  const partitions: SimConfig["partitions"] = [];
  if (healAt > 0 && n > 1) {
    for (let k = rng.int(0, 2); k > 0; k--) {
      const from = rng.int(0, healAt - 1);
      const to = rng.int(from + 1, healAt);
      const order = rng.shuffle([...powers.keys()]);
      const cut = rng.int(1, n - 1);
      partitions.push({ from, to, groups: [order.slice(0, cut), order.slice(cut)] });
    }
  }
  return {
    seed,
    n,
    powers,
    byzantine,
    crashes,
    partitions,
    lossRate: healAt > 0 ? rng.pick([0, 0.05, 0.2, 0.4]) : 0,
    duplicateRate: rng.pick([0, 0.05, 0.2]),
    maxDelayMs: rng.pick([5, 40, 150, 400]),
    healedMaxDelayMs: rng.pick([2, 10, 20]),
    healAt,
    targetHeights: 3,
    livenessBoundMs: 20_000,
    changeValidatorSet: rng.chance(0.5),
    withholdRate: rng.pick([0.5, 1]),
    params: SIM_PARAMS,
    realCrypto: false,
    ...overrides,
  };
}

/** One line that names a schedule, printed with any failure. */
export function describeConfig(c: SimConfig): string {
  const byz = c.byzantine.map((b) => `${b.index}:${b.behaviors.join("+")}`).join(",") || "none";
  return [
    `seed=${c.seed} n=${c.n} powers=[${c.powers.join(",")}] byzantine=${byz}`,
    `crashes=${c.crashes.length} partitions=${c.partitions.length} loss=${c.lossRate} dup=${c.duplicateRate}`,
    `delay<=${c.maxDelayMs}ms healAt=${c.healAt}ms valsetChanges=${c.changeValidatorSet}`,
    c.realCrypto ? "ed25519" : "",
    c.faultInjection ? `UNSAFE=${c.faultInjection}` : "",
  ]
    .filter(Boolean)
    .join(" ");
}
