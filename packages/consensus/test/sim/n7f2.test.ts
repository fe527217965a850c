import { describe, expect, it } from "vitest";
import { runSchedules } from "./harness.js";

// 7 validators, up to 2 faulty: randomized delay, loss, duplication, reordering, partitions that heal, crash and restart from
// the WAL, and byzantine validators (twins, equivocation, withholding, invalid blocks). Every schedule checks
// agreement, validity, liveness after the heal, and that no honest validator equivocates.
describe("simulation: 7 validators, up to 2 faulty", () => {
  it("keeps every invariant over 550 randomized schedules", () => {
    expect(runSchedules(7, 700000, 550)).toEqual([]);
  }, 120_000);
});
