import { getPublicKey, sha256, utf8ToBytes } from "@hansa/core";
import { describe, expect, it, vi } from "vitest";
import { NetworkFaults } from "../../src/testing/index.js";

const peer = getPublicKey(sha256(utf8ToBytes("peer")));

describe("injected network faults", () => {
  it("deliver at once when none are set", () => {
    const faults = new NetworkFaults();
    const deliver = vi.fn();
    faults.receive(deliver);
    expect(deliver).toHaveBeenCalledOnce();
    expect(faults.isBlocked(peer)).toBe(false);
  });

  it("drop a message when the draw falls under the loss rate, and delay by delay plus a share of jitter", () => {
    vi.useFakeTimers();
    try {
      const draws = [0.1, 0.9, 0.5];
      const faults = new NetworkFaults(() => draws.shift() ?? 0);
      faults.set({ lossRate: 0.2, delayMs: 100, jitterMs: 50 });
      const lost = vi.fn();
      const late = vi.fn();
      faults.receive(lost); // draw 0.1 < 0.2: dropped
      faults.receive(late); // draw 0.9: kept; draw 0.5: 100 + 25 ms
      vi.advanceTimersByTime(124);
      expect(late).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(late).toHaveBeenCalledOnce();
      vi.advanceTimersByTime(10_000);
      expect(lost).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it("replace every fault on each set, and tell listeners", () => {
    const faults = new NetworkFaults();
    const changed = vi.fn();
    faults.onChange(changed);
    faults.set({ blockPeers: [peer], clockSkewMs: 5_000 });
    expect(faults.isBlocked(peer)).toBe(true);
    expect(faults.now() - Date.now()).toBeGreaterThanOrEqual(4_990);
    faults.set({});
    expect(faults.isBlocked(peer)).toBe(false);
    expect(Math.abs(faults.now() - Date.now())).toBeLessThan(1_000);
    expect(changed).toHaveBeenCalledTimes(2);
    expect(faults.describe()).toEqual({ delayMs: 0, jitterMs: 0, lossRate: 0, clockSkewMs: 0, blockPeers: [] });
  });
});
