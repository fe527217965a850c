import { describe, expect, it } from "vitest";
import { runSchedules } from "./harness.js";

// 4 validators, up to 1 faulty: randomized delay, loss, duplication, reordering, partitions that heal, crash and restart from
// the WAL, and byzantine validators (twins, equivocation, withholding, invalid blocks). Every schedule checks
// agreement, validity, liveness after the heal, and that no honest validator equivocates.
describe("simulation: 4 validators, up to 1 faulty", () => {
  it("keeps every invariant over 700 randomized schedules", () => {
    expect(runSchedules(4, 400000, 700)).toEqual([]);
  }, 120_000);
});
