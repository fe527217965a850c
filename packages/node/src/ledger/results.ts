import { bytes, decode, encode, type Infer, nullable, oneOf, struct, uint } from "@hansa/core";
import { namespaceName, PROPOSAL_STATUSES, recordKey } from "./schema.js";

/**
 * The `result` bytes of successful receipts. Because the receipts root is in the block header, a record
 * write's result is the proof that a given version of a key had a given value (see docs/ledger.md).
 */
export const RecordWriteResultCodec = struct("RecordWriteResult", {
  namespace: namespaceName(),
  key: recordKey(),
  version: uint(),
  /** SHA-256 of the value written; null for a delete. */
  valueHash: nullable(bytes(32)),
});

export const ProposalResultCodec = struct("ProposalResult", {
  proposalId: uint(),
  status: oneOf(PROPOSAL_STATUSES),
  /** First height of the new validator set, once passed. */
  effectiveHeight: nullable(uint()),
});

export type RecordWriteResult = Infer<typeof RecordWriteResultCodec>;
export type ProposalResult = Infer<typeof ProposalResultCodec>;

export function decodeRecordWriteResult(data: Uint8Array): RecordWriteResult {
  return decode(RecordWriteResultCodec, data, 4096);
}

export function decodeProposalResult(data: Uint8Array): ProposalResult {
  return decode(ProposalResultCodec, data, 4096);
}

export const encodeRecordWriteResult = (r: RecordWriteResult) => encode(RecordWriteResultCodec, r);
export const encodeProposalResult = (r: ProposalResult) => encode(ProposalResultCodec, r);
