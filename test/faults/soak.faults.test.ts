import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { sleep } from "../support/wait.js";
import { FaultHarness, type Scenario, type ScenarioResult } from "./harness.js";
import { SOAK_FAULTS } from "./scenarios.js";

const MINUTES = Number(process.env.HANSA_FAULTS_SOAK_MINUTES ?? 30);
/** The whole-chain re-read runs this often (and at the end); the incremental audit after every episode. */
const FULL_AUDIT_EVERY_MS = Math.min(10 * 60_000, (MINUTES * 60_000) / 3);

interface Tally {
  episodes: number;
  acknowledged: number;
  lost: number;
  duplicated: number;
  forks: number;
  worstRecoverMs: number | null;
  faults: string;
  notes: Set<string>;
}

/**
 * `pnpm test:faults --long`: the faults of the bounded suite drawn at random from the seed, one episode
 * after another, for MINUTES minutes under client load; the audit after every episode, a full re-read of
 * every chain at intervals and at the end, memory sampled throughout.
 */
describe("fault tolerance: soak", () => {
  let harness: FaultHarness;

  beforeAll(async () => {
    harness = await FaultHarness.create("soak", { burst: 1, pauseMs: 250 });
  }, 120_000);

  afterAll(async () => {
    await harness?.destroy();
  }, 60_000);

  it(
    `${MINUTES} minutes of random faults under load`,
    async () => {
      onTestFailed(() => {
        harness.cluster.keep = true;
      });
      const rng = harness.rng.fork("soak");
      const deadline = Date.now() + MINUTES * 60_000;
      const tallies = new Map<string, Tally>();
      let nextFullAudit = Date.now() + FULL_AUDIT_EVERY_MS;
      let episode = 0;
      while (Date.now() < deadline) {
        const fault = rng.pick(SOAK_FAULTS);
        const scenario: Scenario = { ...fault, name: `${fault.name} #${++episode}` };
        const result = await harness.runScenario(scenario, { record: false });
        expect(result.problems, scenario.name).toEqual([]);
        expect({ forks: result.forks, lost: result.lost, duplicated: result.duplicated }, scenario.name).toEqual({
          forks: 0,
          lost: 0,
          duplicated: 0,
        });
        tally(tallies, fault.name, fault.faults, result);
        if (Date.now() >= nextFullAudit) {
          const findings = await harness.check({ fresh: true });
          expect(findings.problems).toEqual([]);
          expect([...findings.forks, ...findings.lost, ...findings.duplicated]).toEqual([]);
          nextFullAudit = Date.now() + FULL_AUDIT_EVERY_MS;
        }
        await sleep(rng.int(1_000, 6_000));
      }
      harness.log(`${episode} episodes in ${MINUTES} minutes`);

      const pending = await harness.load.drain(60_000);
      expect(pending, "transactions sent but never seen committed").toBe(0);
      const findings = await harness.check({ fresh: true });
      expect(findings.problems).toEqual([]);
      expect([...findings.forks, ...findings.lost, ...findings.duplicated]).toEqual([]);
      const memory = harness.memory.verdicts(800, 150);
      for (const m of memory) {
        harness.log(`memory ${m.node}: peak ${m.peakMb.toFixed(0)} MB, late growth ${m.lateGrowthMb.toFixed(0)} MB`);
      }
      expect(memory.filter((m) => !m.bounded)).toEqual([]);

      for (const [name, t] of tallies) {
        await harness.record({
          suite: "soak",
          scenario: `${name} (×${t.episodes})`,
          faults: t.faults,
          acknowledged: t.acknowledged,
          lost: t.lost,
          duplicated: t.duplicated,
          forks: t.forks,
          recoverMs: t.worstRecoverMs,
          mode: harness.modeLabel,
          seed: harness.rng.seed,
          notes: [...t.notes].slice(0, 3),
          problems: [],
        });
      }
      const peak = Math.max(...memory.map((m) => m.peakMb));
      const growth = Math.max(...memory.map((m) => m.lateGrowthMb));
      await harness.record({
        suite: "soak",
        scenario: `whole soak (${episode} episodes, ${MINUTES} min)`,
        faults: "all of the above; load drained, every chain re-read from genesis",
        acknowledged: harness.load.acks.length,
        lost: findings.lost.length,
        duplicated: findings.duplicated.length,
        forks: findings.forks.length,
        recoverMs: null,
        mode: harness.modeLabel,
        seed: harness.rng.seed,
        notes: [
          `peak RSS ${peak.toFixed(0)} MB, largest late growth ${growth.toFixed(0)} MB (${harness.memory.samples.length} samples)`,
        ],
        problems: findings.problems,
      });
    },
    (MINUTES + 15) * 60_000,
  );
});

function tally(tallies: Map<string, Tally>, name: string, faults: string, r: ScenarioResult): void {
  const t = tallies.get(name) ?? {
    episodes: 0,
    acknowledged: 0,
    lost: 0,
    duplicated: 0,
    forks: 0,
    worstRecoverMs: null,
    faults,
    notes: new Set<string>(),
  };
  t.episodes++;
  t.acknowledged += r.acknowledged;
  t.lost += r.lost;
  t.duplicated += r.duplicated;
  t.forks += r.forks;
  if (r.recoverMs !== null) t.worstRecoverMs = Math.max(t.worstRecoverMs ?? 0, r.recoverMs);
  for (const n of r.notes) t.notes.add(n);
  tallies.set(name, t);
}
