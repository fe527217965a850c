import { describe, expect, it } from "vitest";
import { FaultInjection } from "../../src/index.js";
import { configFor, runSimulation } from "../../src/sim/index.js";
import { runSchedules } from "./harness.js";

// The checks must be able to fail: an engine without locking (it prevotes any valid proposal and never
// re-proposes its valid value) must be caught committing two different blocks at one height, while the real
// engine passes the very same schedules. The scan stops at the first catch, so the cost stays small.
describe("simulation self-test", () => {
  const n = 4;
  const limit = 3000;
  let caught = -1;

  it("catches the no-locking variant breaking agreement", () => {
    for (let seed = 1; seed <= limit && caught < 0; seed++) {
      const result = runSimulation(configFor(seed, n, { faultInjection: FaultInjection.NO_LOCKING }));
      if (result.violations.some((v) => v.startsWith("agreement:"))) caught = seed;
    }
    expect(caught, `no-locking variant not caught in seeds 1..${limit}`).toBeGreaterThan(0);
  }, 120_000);

  it("passes the same schedules with locking", () => {
    expect(caught).toBeGreaterThan(0);
    expect(runSchedules(n, 1, caught)).toEqual([]);
  }, 120_000);
});
