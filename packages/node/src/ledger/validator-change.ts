import { bytesTo0x, equalBytes, type Validator, ValidatorSet } from "@hansa/core";
import { LedgerErrorCode, ledgerError } from "./errors.js";
import type { ValidatorOp } from "./schema.js";

/** Pure rules for changing the validator set: what a change produces, and whether it is safe. */

export interface ValidatorChange {
  op: ValidatorOp;
  name: string;
  publicKey: Uint8Array;
  power: number;
}

/** The set after `change`, in canonical order (existing validators keep their places, new ones go last). */
export function applyValidatorChange(base: readonly Validator[], change: ValidatorChange): Validator[] {
  const invalid = (why: string) => ledgerError(LedgerErrorCode.INVALID_VALIDATOR_CHANGE, why);
  const key = bytesTo0x(change.publicKey);
  const present = base.some((v) => equalBytes(v.publicKey, change.publicKey));
  let next: Validator[];
  switch (change.op) {
    case "add":
      if (present) throw invalid(`${key} is already a validator`);
      next = [...base, { name: change.name, publicKey: change.publicKey, power: change.power }];
      break;
    case "remove":
      if (!present) throw invalid(`${key} is not a validator`);
      next = base.filter((v) => !equalBytes(v.publicKey, change.publicKey));
      if (next.length === 0) throw invalid("cannot remove the last validator");
      break;
    case "set_power":
      if (!present) throw invalid(`${key} is not a validator`);
      next = base.map((v) => (equalBytes(v.publicKey, change.publicKey) ? { ...v, power: change.power } : v));
      break;
  }
  try {
    new ValidatorSet(next);
  } catch (err) {
    throw invalid((err as Error).message);
  }
  return next;
}

/**
 * How many validators may fail (crash or lie) with the chain still safe and live: the largest k such that
 * the k most powerful validators together hold at most f = floor((total - 1) / 3) of the power.
 */
export function toleratedFailures(validators: readonly Validator[]): number {
  const total = validators.reduce((sum, v) => sum + v.power, 0);
  const f = Math.floor((total - 1) / 3);
  const powers = validators.map((v) => v.power).sort((a, b) => b - a);
  let k = 0;
  let sum = 0;
  for (const p of powers) {
    if (sum + p > f) break;
    sum += p;
    k++;
  }
  return k;
}

/**
 * Refuses, unless `force`, a change that (a) would need validators not in `base` to reach quorum (if they
 * are not running by the effective height, the chain halts), or (b) lowers the number of validator failures
 * the chain tolerates (removing one of 4 equal validators leaves 3, which tolerate none).
 */
export function checkValidatorChangeSafety(base: readonly Validator[], next: readonly Validator[], force: boolean) {
  if (force) return;
  const total = next.reduce((sum, v) => sum + v.power, 0);
  const continuing = next
    .filter((v) => base.some((b) => equalBytes(b.publicKey, v.publicKey)))
    .reduce((sum, v) => sum + v.power, 0);
  if (continuing * 3 <= total * 2) {
    throw ledgerError(
      LedgerErrorCode.QUORUM_AT_RISK,
      `current validators would hold ${continuing} of ${total} power, not more than 2/3: quorum would depend on ` +
        "new validators being online; set force to accept",
    );
  }
  const before = toleratedFailures(base);
  const after = toleratedFailures(next);
  if (after < before) {
    throw ledgerError(
      LedgerErrorCode.FAULT_TOLERANCE_REDUCED,
      `the chain would tolerate ${after} failed validator(s) instead of ${before}; set force to accept`,
    );
  }
}
