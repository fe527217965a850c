import { equalBytes } from "../bytes.js";
import { bytes, decode, encode, type Infer, list, struct, uint } from "../encoding/index.js";
import { HansaError } from "../errors.js";
import { sha256 } from "../hash.js";
import { verify } from "../keys/ed25519.js";
import { MAX_VALIDATORS } from "../limits.js";
import type { ValidatorSet } from "../validators.js";
import { type Vote, VoteType, voteSigningBytes } from "./vote.js";

/**
 * Proof that a block was committed: precommit signatures for (height, round, blockHash) from validators
 * holding more than 2/3 of the power. Signers are named by their index in that height's validator set, in
 * strictly increasing order, so a certificate has exactly one encoding.
 */
export const CommitCertificateCodec = struct("CommitCertificate", {
  height: uint(),
  round: uint(),
  blockHash: bytes(32),
  signatures: list(struct("CommitSignature", { validatorIndex: uint(), signature: bytes(64) }), {
    max: MAX_VALIDATORS,
  }),
});

export type CommitCertificate = Infer<typeof CommitCertificateCodec>;

export type CommitErrorType =
  | { code: "COMMIT_WRONG_BLOCK"; height: number }
  | { code: "COMMIT_BAD_ORDER"; index: number }
  | { code: "COMMIT_UNKNOWN_VALIDATOR"; index: number }
  | { code: "COMMIT_BAD_SIGNATURE"; index: number }
  | { code: "COMMIT_NO_QUORUM"; power: number; total: number };

export class CommitError extends HansaError<CommitErrorType> {
  constructor(type: CommitErrorType, message: string) {
    super(type, message);
    this.name = "CommitError";
  }
}

export function encodeCommit(cert: CommitCertificate): Uint8Array {
  return encode(CommitCertificateCodec, cert);
}

export function decodeCommit(data: Uint8Array): CommitCertificate {
  return decode(CommitCertificateCodec, data, 64 * 1024);
}

export function commitHash(cert: CommitCertificate): Uint8Array {
  return sha256(encodeCommit(cert));
}

/** Builds a certificate from precommits for one block (each already verified by the caller). */
export function commitFromPrecommits(validators: ValidatorSet, precommits: readonly Vote[]): CommitCertificate {
  const first = precommits[0];
  if (!first || first.blockHash === null) throw new RangeError("precommits must be for one block");
  const blockHash = first.blockHash;
  const byIndex = new Map<number, Uint8Array>();
  for (const v of precommits) {
    // A prevote or a vote of another height, round or block would yield a certificate that never verifies.
    const same =
      v.type === VoteType.PRECOMMIT &&
      v.height === first.height &&
      v.round === first.round &&
      v.blockHash !== null &&
      equalBytes(v.blockHash, blockHash);
    if (!same) throw new RangeError("precommits must all be precommits for one (height, round, block)");
    const index = validators.indexOf(v.validator);
    if (index >= 0) byIndex.set(index, v.signature);
  }
  const signatures = [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([validatorIndex, signature]) => ({ validatorIndex, signature }));
  return { height: first.height, round: first.round, blockHash, signatures };
}

/**
 * Checks a certificate against the validator set of its height: order, membership, every signature, and
 * more than 2/3 of the power. Throws CommitError naming the first problem.
 * `verifySignature` may be swapped for a batched or cached verifier; it defaults to node:crypto.
 */
export function verifyCommit(
  chainId: string,
  validators: ValidatorSet,
  cert: CommitCertificate,
  expect: { height: number; blockHash: Uint8Array },
  verifySignature: (sig: Uint8Array, msg: Uint8Array, key: Uint8Array) => boolean = verify,
): void {
  if (cert.height !== expect.height || !equalBytes(cert.blockHash, expect.blockHash)) {
    throw new CommitError(
      { code: "COMMIT_WRONG_BLOCK", height: cert.height },
      `certificate is for another block than height ${expect.height}`,
    );
  }
  const message = voteSigningBytes(chainId, {
    type: VoteType.PRECOMMIT,
    height: cert.height,
    round: cert.round,
    blockHash: cert.blockHash,
  });
  let power = 0;
  let previous = -1;
  for (const { validatorIndex, signature } of cert.signatures) {
    if (validatorIndex <= previous) {
      throw new CommitError(
        { code: "COMMIT_BAD_ORDER", index: validatorIndex },
        "certificate signers are not in strictly increasing order",
      );
    }
    previous = validatorIndex;
    const validator = validators.at(validatorIndex);
    if (!validator) {
      throw new CommitError(
        { code: "COMMIT_UNKNOWN_VALIDATOR", index: validatorIndex },
        `no validator at index ${validatorIndex}`,
      );
    }
    if (!verifySignature(signature, message, validator.publicKey)) {
      throw new CommitError(
        { code: "COMMIT_BAD_SIGNATURE", index: validatorIndex },
        `bad precommit signature from ${validator.name}`,
      );
    }
    power += validator.power;
  }
  if (!validators.isQuorum(power)) {
    throw new CommitError(
      { code: "COMMIT_NO_QUORUM", power, total: validators.totalPower },
      `certificate carries ${power} of ${validators.totalPower} power; more than 2/3 is required`,
    );
  }
}
