import { decode, encode, nullable, type Proposal, ProposalCodec, struct, type Vote, VoteCodec } from "@hansa/core";

/**
 * What the engine asks the host to persist before a signed message leaves: the message itself. On restart
 * the engine is rebuilt from these records, so it re-sends what it signed instead of signing anew.
 */
export type WalRecord = { kind: "vote"; vote: Vote } | { kind: "proposal"; proposal: Proposal };

// Exactly one of the two fields is set; a struct with nullable fields keeps the encoding canonical.
const WalRecordCodec = struct("ConsensusWalRecord", {
  vote: nullable(VoteCodec),
  proposal: nullable(ProposalCodec),
});

export function encodeWalRecord(record: WalRecord): Uint8Array {
  return encode(WalRecordCodec, {
    vote: record.kind === "vote" ? record.vote : null,
    proposal: record.kind === "proposal" ? record.proposal : null,
  });
}

export function decodeWalRecord(data: Uint8Array): WalRecord {
  const raw = decode(WalRecordCodec, data, 4096);
  if (raw.vote !== null && raw.proposal === null) return { kind: "vote", vote: raw.vote };
  if (raw.proposal !== null && raw.vote === null) return { kind: "proposal", proposal: raw.proposal };
  throw new RangeError("consensus WAL record must hold exactly one of vote or proposal");
}
