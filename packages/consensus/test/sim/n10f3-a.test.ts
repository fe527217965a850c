import { describe, expect, it } from "vitest";
import { runSchedules } from "./harness.js";

// 10 validators, up to 3 faulty (first half): randomized delay, loss, duplication, reordering, partitions that heal, crash and restart from
// the WAL, and byzantine validators (twins, equivocation, withholding, invalid blocks). Every schedule checks
// agreement, validity, liveness after the heal, and that no honest validator equivocates.
describe("simulation: 10 validators, up to 3 faulty (first half)", () => {
  it("keeps every invariant over 225 randomized schedules", () => {
    expect(runSchedules(10, 1000000, 225)).toEqual([]);
  }, 120_000);
});
