// Every wire structure round trips through its codec: a fixed sample, then random valid values (fast-check).
import {
  BlockCodec,
  BlockHeaderCodec,
  blockHash,
  type Codec,
  CommitCertificateCodec,
  commitHash,
  decode,
  decodeBlock,
  decodeBlockHeader,
  decodeCommit,
  decodeEvidence,
  decodeGenesis,
  decodeProposal,
  decodeReceipt,
  decodeTransaction,
  decodeVote,
  EncodingErrorCode,
  EvidenceCodec,
  encode,
  encodeBlock,
  encodeBlockHeader,
  encodeCommit,
  encodeEvidence,
  encodeGenesis,
  encodeProposal,
  encodeReceipt,
  encodeTransaction,
  encodeVote,
  GenesisCodec,
  genesisHash,
  ProposalCodec,
  ReceiptCodec,
  sha256,
  TransactionCodec,
  transactionHash,
  ValidatorSet,
  ValidatorSetCodec,
  VoteCodec,
} from "@hansa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  arbBlock,
  arbCommit,
  arbEvidence,
  arbGenesis,
  arbHeader,
  arbProposal,
  arbReceipt,
  arbTransaction,
  arbValidator,
  arbVote,
  expectEncodingError,
  sampleBlock,
  sampleCommit,
  sampleEvidence,
  sampleGenesis,
  sampleHeader,
  sampleProposal,
  sampleReceipt,
  sampleTransaction,
  sampleValidators,
  sampleVote,
} from "./helpers.js";

interface Structure {
  name: string;
  codec: Codec<never>;
  sample: () => unknown;
  arb: fc.Arbitrary<unknown>;
  encode: (v: never) => Uint8Array;
  decode: (b: Uint8Array) => unknown;
}

const structures: Structure[] = [
  {
    name: "transaction",
    codec: TransactionCodec as never,
    sample: sampleTransaction,
    arb: arbTransaction,
    encode: encodeTransaction as never,
    decode: decodeTransaction,
  },
  {
    name: "vote",
    codec: VoteCodec as never,
    sample: sampleVote,
    arb: arbVote,
    encode: encodeVote as never,
    decode: decodeVote,
  },
  {
    name: "proposal",
    codec: ProposalCodec as never,
    sample: sampleProposal,
    arb: arbProposal,
    encode: encodeProposal as never,
    decode: decodeProposal,
  },
  {
    name: "commit certificate",
    codec: CommitCertificateCodec as never,
    sample: sampleCommit,
    arb: arbCommit,
    encode: encodeCommit as never,
    decode: decodeCommit,
  },
  {
    name: "evidence",
    codec: EvidenceCodec as never,
    sample: sampleEvidence,
    arb: arbEvidence,
    encode: encodeEvidence as never,
    decode: decodeEvidence,
  },
  {
    name: "block header",
    codec: BlockHeaderCodec as never,
    sample: sampleHeader,
    arb: arbHeader,
    encode: encodeBlockHeader as never,
    decode: decodeBlockHeader,
  },
  {
    name: "block",
    codec: BlockCodec as never,
    sample: sampleBlock,
    arb: arbBlock,
    encode: encodeBlock as never,
    decode: (b) => decodeBlock(b),
  },
  {
    name: "receipt",
    codec: ReceiptCodec as never,
    sample: sampleReceipt,
    arb: arbReceipt,
    encode: encodeReceipt as never,
    decode: decodeReceipt,
  },
  {
    name: "validator set",
    codec: ValidatorSetCodec as never,
    sample: sampleValidators,
    arb: fc.array(arbValidator, { maxLength: 8 }),
    encode: ((v: never) => encode(ValidatorSetCodec, v)) as never,
    decode: (b) => decode(ValidatorSetCodec, b),
  },
  {
    name: "genesis",
    codec: GenesisCodec as never,
    sample: sampleGenesis,
    arb: arbGenesis,
    encode: encodeGenesis as never,
    decode: decodeGenesis,
  },
];

describe.each(structures)("$name", (s) => {
  it("round trips a sample: decode(encode(v)) equals v, and encoding is a plain Uint8Array", () => {
    const value = s.sample();
    const bytes = s.encode(value as never);
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect(s.decode(bytes)).toEqual(value);
    expect(s.encode(s.decode(bytes) as never)).toEqual(bytes);
  });

  it("round trips random valid values", () => {
    fc.assert(
      fc.property(s.arb, (value) => {
        const bytes = s.encode(value as never);
        const back = s.decode(bytes);
        expect(back).toEqual(value);
        expect(s.encode(back as never)).toEqual(bytes);
      }),
      { numRuns: 150 },
    );
  });

  it("refuses every truncation of a sample", () => {
    const bytes = s.encode(s.sample() as never);
    for (let n = 0; n < bytes.length; n++) {
      expect(() => s.decode(bytes.subarray(0, n))).toThrow();
    }
  });
});

describe("hashes are SHA-256 of the canonical encoding", () => {
  it("transaction, block, commit and genesis", () => {
    const txBytes = encodeTransaction(sampleTransaction());
    expect(transactionHash(txBytes)).toEqual(sha256(txBytes));
    expect(blockHash(sampleHeader())).toEqual(sha256(encodeBlockHeader(sampleHeader())));
    expect(commitHash(sampleCommit())).toEqual(sha256(encodeCommit(sampleCommit())));
    expect(genesisHash(sampleGenesis())).toEqual(sha256(encodeGenesis(sampleGenesis())));
  });

  it("a block's hash is its header's: the transactions are bound through txRoot", () => {
    const block = sampleBlock();
    const other = { ...block, txs: [] };
    expect(blockHash(block.header)).toEqual(blockHash(other.header));
  });
});

describe("validator set", () => {
  it("encodes, decodes and hashes its canonical list", () => {
    const set = new ValidatorSet(sampleValidators());
    const back = ValidatorSet.decode(set.encode());
    expect(back.validators).toEqual(set.validators);
    expect(back.hash).toEqual(sha256(set.encode()));
    expect(back.totalPower).toBe(4);
  });

  it("quorum is more than 2/3 of the power, one third more than 1/3", () => {
    const set = new ValidatorSet(sampleValidators(3, 1));
    expect(set.isQuorum(2)).toBe(false);
    expect(set.isQuorum(3)).toBe(true);
    expect(set.isOneThird(1)).toBe(false);
    expect(set.isOneThird(2)).toBe(true);
    expect(new ValidatorSet(sampleValidators(4, 1)).faultTolerance).toBe(1);
  });

  it("refuses an empty set, duplicate keys and bad power", () => {
    expect(() => new ValidatorSet([])).toThrow(expect.objectContaining({ code: "VALIDATOR_SET_EMPTY" }));
    const [a] = sampleValidators(1);
    expect(() => new ValidatorSet([a!, { ...a!, name: "b" }])).toThrow(
      expect.objectContaining({ code: "VALIDATOR_SET_DUPLICATE_KEY" }),
    );
    expect(() => new ValidatorSet([{ ...a!, power: 0 }])).toThrow(
      expect.objectContaining({ code: "VALIDATOR_SET_BAD_POWER" }),
    );
  });

  it("decoding an over-long list is a schema error", () => {
    const many = Array.from({ length: 257 }, () => new Uint8Array([0x80]));
    const data = new Uint8Array([0x99, 0x01, 0x01, ...many.flatMap((b) => [...b])]);
    expectEncodingError(() => decode(ValidatorSetCodec, data), EncodingErrorCode.SCHEMA);
  });
});
