import { describe, expect, it } from "vitest";
import { runSchedules } from "./harness.js";

// single validator (dev chain), crashes and restarts: randomized delay, loss, duplication, reordering, partitions that heal, crash and restart from
// the WAL, and byzantine validators (twins, equivocation, withholding, invalid blocks). Every schedule checks
// agreement, validity, liveness after the heal, and that no honest validator equivocates.
describe("simulation: single validator (dev chain), crashes and restarts", () => {
  it("keeps every invariant over 300 randomized schedules", () => {
    expect(runSchedules(1, 100000, 300)).toEqual([]);
  }, 120_000);
});
