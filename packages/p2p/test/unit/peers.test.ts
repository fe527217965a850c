import { describe, expect, it } from "vitest";
import { SeenCache } from "../../src/gossip/seen-cache.js";
import { TokenBucket } from "../../src/gossip/token-bucket.js";
import { PeerBook } from "../../src/peers/peer-book.js";

/** A clock the test moves by hand. */
function manualClock() {
  let t = 0;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe("token bucket", () => {
  it("allows a burst, then the rate", () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, 20, clock.now);
    for (let i = 0; i < 20; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    clock.advance(500);
    for (let i = 0; i < 5; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    clock.advance(60_000);
    expect(bucket.take(20)).toBe(true);
    expect(bucket.take(1)).toBe(false);
  });
});

describe("seen cache", () => {
  it("remembers recent keys and forgets old ones a generation at a time", () => {
    const seen = new SeenCache(4); // generations of two
    expect(["a", "b", "c"].map((k) => seen.add(k))).toEqual([true, true, true]);
    expect(seen.add("a")).toBe(false); // a and b are the old generation, c the young one
    expect(seen.add("d")).toBe(true);
    expect(seen.add("e")).toBe(true); // {c, d} ages; {a, b} is dropped
    expect([seen.has("a"), seen.has("b"), seen.has("c"), seen.has("d"), seen.has("e")]).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
    expect(seen.size).toBe(3);
    expect(() => new SeenCache(1)).toThrow(RangeError);
  });
});

describe("peer book", () => {
  it("counts traffic and bans at the threshold, for a while", () => {
    const clock = manualClock();
    const book = new PeerBook({ banScore: -100, banDurationMs: 1000 }, clock.now);
    book.received("p", 10);
    book.sent("p", 5);
    expect(book.get("p")).toMatchObject({ bytesIn: 10, msgsIn: 1, bytesOut: 5, msgsOut: 1, score: 0 });
    expect([1, 2, 3].map(() => book.penalize("p", 25))).toEqual([false, false, false]);
    expect(book.penalize("p", 25)).toBe(true);
    expect(book.isBanned("p")).toBe(true);
    clock.advance(1000);
    expect(book.isBanned("p")).toBe(false);
    expect(book.get("p").score).toBe(0);
    expect(book.ban("p")).toBe(true);
    expect(book.ban("p")).toBe(false);
    expect(book.isBanned("p")).toBe(true);
  });
});
