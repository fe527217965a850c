import {
  type Evidence,
  equalBytes,
  proposalSigningBytes,
  type ValidatorSet,
  verify,
  voteSigningBytes,
} from "@hansa/core";
import type { VerifySignature } from "./types.js";

export type { Evidence };

/**
 * Checks evidence on its own, as a third party would: same signer (a member of `validators`), same height,
 * round and step, different content, and both signatures valid.
 */
export function verifyEvidence(
  chainId: string,
  validators: ValidatorSet,
  evidence: Evidence,
  verifySignature: VerifySignature = verify,
): boolean {
  if (evidence.kind === "duplicate_vote") {
    const { first: a, second: b } = evidence;
    if (!equalBytes(a.validator, b.validator) || !validators.has(a.validator)) return false;
    if (a.type !== b.type || a.height !== b.height || a.round !== b.round) return false;
    if (sameHash(a.blockHash, b.blockHash)) return false;
    return (
      verifySignature(a.signature, voteSigningBytes(chainId, a), a.validator) &&
      verifySignature(b.signature, voteSigningBytes(chainId, b), b.validator)
    );
  }
  const { first: a, second: b } = evidence;
  if (!equalBytes(a.proposer, b.proposer) || !validators.has(a.proposer)) return false;
  if (a.height !== b.height || a.round !== b.round) return false;
  if (equalBytes(a.blockHash, b.blockHash) && a.polRound === b.polRound) return false;
  return (
    verifySignature(a.signature, proposalSigningBytes(chainId, a), a.proposer) &&
    verifySignature(b.signature, proposalSigningBytes(chainId, b), b.proposer)
  );
}

function sameHash(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a === null || b === null ? a === b : equalBytes(a, b);
}
