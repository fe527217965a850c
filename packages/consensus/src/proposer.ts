import type { Validator, ValidatorSet } from "@hansa/core";

interface Schedule {
  cumulative: number[];
  total: bigint;
  stride: bigint;
}

const schedules = new WeakMap<ValidatorSet, Schedule>();

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function scheduleOf(set: ValidatorSet): Schedule {
  let s = schedules.get(set);
  if (s) return s;
  const cumulative: number[] = [];
  let sum = 0;
  for (const v of set.validators) {
    sum += v.power;
    cumulative.push(sum);
  }
  const total = BigInt(sum);
  // A stride coprime with the total permutes the slots, so a heavy validator's slots are spread out instead
  // of consecutive (a crashed heavy validator must not stall many rounds in a row). 0.618 spreads them well.
  let stride = BigInt(Math.max(1, Math.floor(sum * 0.6180339887)));
  while (gcd(stride, total) !== 1n) stride += 1n;
  s = { cumulative, total, stride };
  schedules.set(set, s);
  return s;
}

/**
 * The proposer of (height, round): weighted round robin. Slot `height + round` is mapped through a fixed
 * permutation of the total power, and the validator owning that unit of power proposes; over any `total`
 * consecutive slots each validator proposes exactly `power` times. Deterministic and stateless.
 */
export function proposerFor(validators: ValidatorSet, height: number, round: number): Validator {
  const { cumulative, total, stride } = scheduleOf(validators);
  const slot = (BigInt(height) + BigInt(round)) % total;
  const unit = Number((slot * stride) % total);
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) > unit) hi = mid;
    else lo = mid + 1;
  }
  return validators.at(lo) as Validator;
}
