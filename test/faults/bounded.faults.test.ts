import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { FaultHarness } from "./harness.js";
import { BOUNDED_SCENARIOS } from "./scenarios.js";

/**
 * The bounded fault suite CI runs (`pnpm test:faults`): 4 validators under client load, each scenario of
 * docs/reliability.md in turn on the same chain, the audit after every one, a full re-read at the end.
 */
describe("fault tolerance: bounded scenarios", () => {
  let harness: FaultHarness;

  beforeAll(async () => {
    harness = await FaultHarness.create("bounded", { burst: 2, pauseMs: 200 });
  }, 120_000);

  afterAll(async () => {
    await harness?.destroy();
  }, 60_000);

  for (const scenario of BOUNDED_SCENARIOS) {
    it(scenario.name, async () => {
      onTestFailed(() => {
        harness.cluster.keep = true;
      });
      const result = await harness.runScenario(scenario);
      expect(result.problems).toEqual([]);
      expect({ forks: result.forks, lost: result.lost, duplicated: result.duplicated }).toEqual({
        forks: 0,
        lost: 0,
        duplicated: 0,
      });
      expect(result.acknowledged).toBeGreaterThan(0);
    }, 180_000);
  }

  it("at the end: every acknowledged transaction once on every chain, re-read from scratch; memory bounded", async () => {
    onTestFailed(() => {
      harness.cluster.keep = true;
    });
    const pending = await harness.load.drain(60_000);
    expect(pending, "transactions sent but never seen committed").toBe(0);
    const findings = await harness.check({ fresh: true });
    expect(findings.problems).toEqual([]);
    expect(findings.forks).toEqual([]);
    expect(findings.lost).toEqual([]);
    expect(findings.duplicated).toEqual([]);
    const memory = harness.memory.verdicts(800, 200);
    harness.log(`memory: ${memory.map((m) => `${m.node} peak ${m.peakMb.toFixed(0)} MB`).join(", ")}`);
    expect(memory.filter((m) => !m.bounded)).toEqual([]);
    await harness.record({
      suite: "bounded",
      scenario: "final audit",
      faults: "none: load drained, every chain re-read from genesis",
      acknowledged: harness.load.acks.length,
      lost: findings.lost.length,
      duplicated: findings.duplicated.length,
      forks: findings.forks.length,
      recoverMs: null,
      mode: harness.modeLabel,
      seed: harness.rng.seed,
      notes: [`peak RSS ${Math.max(...memory.map((m) => m.peakMb)).toFixed(0)} MB`],
      problems: findings.problems,
    });
  }, 180_000);
});
