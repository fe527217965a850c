import { bytesToHex } from "./bytes.js";
import { bytes, decode, encode, type Infer, list, struct, text, uint } from "./encoding/index.js";
import { HansaError } from "./errors.js";
import { sha256 } from "./hash.js";
import { MAX_TOTAL_POWER, MAX_VALIDATORS } from "./limits.js";

export const ValidatorCodec = struct("Validator", {
  name: text({ max: 64 }),
  publicKey: bytes(32),
  power: uint(),
});

export const ValidatorSetCodec = list(ValidatorCodec, { max: MAX_VALIDATORS });

export type Validator = Infer<typeof ValidatorCodec>;

export type ValidatorSetErrorType =
  | { code: "VALIDATOR_SET_EMPTY" }
  | { code: "VALIDATOR_SET_DUPLICATE_KEY"; publicKey: string }
  | { code: "VALIDATOR_SET_BAD_POWER"; name: string }
  | { code: "VALIDATOR_SET_TOO_LARGE"; size: number };

export class ValidatorSetError extends HansaError<ValidatorSetErrorType> {
  constructor(type: ValidatorSetErrorType, message: string) {
    super(type, message);
    this.name = "ValidatorSetError";
  }
}

/**
 * The validators of one height, in their canonical order (the order genesis or governance gave them).
 * Immutable; lookups by public key are O(1).
 */
export class ValidatorSet {
  readonly validators: readonly Validator[];
  readonly totalPower: number;
  readonly hash: Uint8Array;
  private readonly indexByKey: Map<string, number>;

  constructor(validators: readonly Validator[]) {
    if (validators.length === 0) throw new ValidatorSetError({ code: "VALIDATOR_SET_EMPTY" }, "validator set is empty");
    if (validators.length > MAX_VALIDATORS) {
      throw new ValidatorSetError(
        { code: "VALIDATOR_SET_TOO_LARGE", size: validators.length },
        `validator set has ${validators.length} members; the limit is ${MAX_VALIDATORS}`,
      );
    }
    this.indexByKey = new Map();
    let total = 0;
    validators.forEach((v, i) => {
      const key = bytesToHex(v.publicKey);
      if (this.indexByKey.has(key)) {
        throw new ValidatorSetError(
          { code: "VALIDATOR_SET_DUPLICATE_KEY", publicKey: key },
          `validator key ${key} appears twice`,
        );
      }
      if (!Number.isSafeInteger(v.power) || v.power <= 0) {
        throw new ValidatorSetError(
          { code: "VALIDATOR_SET_BAD_POWER", name: v.name },
          `validator ${v.name} must have positive integer power`,
        );
      }
      this.indexByKey.set(key, i);
      total += v.power;
    });
    if (total > MAX_TOTAL_POWER) {
      throw new ValidatorSetError(
        { code: "VALIDATOR_SET_BAD_POWER", name: "*" },
        `total power exceeds ${MAX_TOTAL_POWER}`,
      );
    }
    this.validators = Object.freeze(validators.map((v) => Object.freeze({ ...v })));
    this.totalPower = total;
    this.hash = sha256(encode(ValidatorSetCodec, [...this.validators]));
  }

  get size(): number {
    return this.validators.length;
  }

  indexOf(publicKey: Uint8Array): number {
    return this.indexByKey.get(bytesToHex(publicKey)) ?? -1;
  }

  has(publicKey: Uint8Array): boolean {
    return this.indexOf(publicKey) >= 0;
  }

  at(index: number): Validator | undefined {
    return this.validators[index];
  }

  powerOf(publicKey: Uint8Array): number {
    const i = this.indexOf(publicKey);
    return i < 0 ? 0 : (this.validators[i] as Validator).power;
  }

  /** More than 2/3 of the total power: enough to commit. */
  isQuorum(power: number): boolean {
    return power * 3 > this.totalPower * 2;
  }

  /** More than 1/3 of the total power: at least one honest validator among them (f + 1). */
  isOneThird(power: number): boolean {
    return power * 3 > this.totalPower;
  }

  /** The largest power that may be faulty while the set stays safe and live: f with 3f < total. */
  get faultTolerance(): number {
    return Math.floor((this.totalPower - 1) / 3);
  }

  encode(): Uint8Array {
    return encode(ValidatorSetCodec, [...this.validators]);
  }

  static decode(data: Uint8Array): ValidatorSet {
    return new ValidatorSet(decode(ValidatorSetCodec, data, 64 * 1024));
  }
}
