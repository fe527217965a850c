import { bytes, type Codec, decode, encode, oneOf, schemaError, struct, uint } from "../encoding/index.js";
import { sha256 } from "../hash.js";
import { type Proposal, ProposalCodec } from "./proposal.js";
import { type Vote, VoteCodec } from "./vote.js";

/**
 * Proof that one validator signed two different messages for the same height, round and step: the two
 * signed messages themselves, which anyone holding the validator set can check.
 */
export type Evidence =
  | { kind: "duplicate_vote"; first: Vote; second: Vote }
  | { kind: "duplicate_proposal"; first: Proposal; second: Proposal };

export type EvidenceKind = Evidence["kind"];

/** Encoded as `[kind, first, second]`; the kind names the codec of the two messages. */
export const EvidenceCodec: Codec<Evidence> = {
  describe: "Evidence",
  toCbor(value) {
    if (value.kind === "duplicate_vote") {
      return [value.kind, VoteCodec.toCbor(value.first), VoteCodec.toCbor(value.second)];
    }
    if (value.kind === "duplicate_proposal") {
      return [value.kind, ProposalCodec.toCbor(value.first), ProposalCodec.toCbor(value.second)];
    }
    throw new RangeError(`unknown evidence kind ${(value as { kind: unknown }).kind}`);
  },
  fromCbor(raw, path) {
    if (!Array.isArray(raw) || raw.length !== 3) throw schemaError(path, "Evidence (array of 3)");
    const [kind, first, second] = raw as [unknown, unknown, unknown];
    if (kind === "duplicate_vote") {
      return {
        kind,
        first: VoteCodec.fromCbor(first, `${path}.first`),
        second: VoteCodec.fromCbor(second, `${path}.second`),
      };
    }
    if (kind === "duplicate_proposal") {
      return {
        kind,
        first: ProposalCodec.fromCbor(first, `${path}.first`),
        second: ProposalCodec.fromCbor(second, `${path}.second`),
      };
    }
    throw schemaError(`${path}.kind`, "duplicate_vote or duplicate_proposal");
  },
};

export function encodeEvidence(evidence: Evidence): Uint8Array {
  return encode(EvidenceCodec, evidence);
}

export function decodeEvidence(data: Uint8Array): Evidence {
  return decode(EvidenceCodec, data, 4096);
}

/** Who equivocated, where: the same for every copy of the same misbehaviour, whichever pair of messages shows it. */
export interface EvidenceSubject {
  validator: Uint8Array;
  height: number;
  round: number;
  step: "prevote" | "precommit" | "proposal";
}

export function evidenceSubject(evidence: Evidence): EvidenceSubject {
  if (evidence.kind === "duplicate_proposal") {
    const { proposer, height, round } = evidence.first;
    return { validator: proposer, height, round, step: "proposal" };
  }
  const { validator, height, round, type } = evidence.first;
  return { validator, height, round, step: type === 1 ? "prevote" : "precommit" };
}

const EvidenceIdCodec = struct("EvidenceId", {
  domain: oneOf(["hansa/evidence/v1"] as const),
  validator: bytes(32),
  height: uint(),
  round: uint(),
  step: oneOf(["prevote", "precommit", "proposal"] as const),
});

/**
 * One id per misbehaviour (validator, height, round, step), not per pair of messages: a validator that
 * signed three different prevotes is recorded once, and two honest nodes that saw different pairs agree on
 * what is already on chain.
 */
export function evidenceId(evidence: Evidence): Uint8Array {
  return sha256(encode(EvidenceIdCodec, { domain: "hansa/evidence/v1", ...evidenceSubject(evidence) }));
}
