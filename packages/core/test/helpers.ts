// Shared fixtures for the core tests: fixed keys, one sample of every structure, fast-check arbitraries for
// random valid values, and a tiny hand CBOR writer for building non-canonical inputs byte by byte.
import {
  type Block,
  type BlockHeader,
  CHAIN_ID_PATTERN,
  type CommitCertificate,
  concatBytes,
  DEFAULT_CONSENSUS_PARAMS,
  EncodingError,
  type Evidence,
  type Genesis,
  getPublicKey,
  isHansaError,
  MAX_VALIDATORS,
  type Proposal,
  type Receipt,
  ROLES,
  type Transaction,
  TX_KIND_PATTERN,
  utf8ToBytes,
  type Validator,
  type Vote,
} from "@hansa/core";
import fc from "fast-check";
import { expect } from "vitest";

export const CHAIN_ID = "hansa-test";

/** A fixed secret key per seed, so failures reproduce. */
export function secretKey(seed: number): Uint8Array {
  return new Uint8Array(32).fill(seed);
}

export function filled(length: number, byte: number): Uint8Array {
  return new Uint8Array(length).fill(byte);
}

/** Asserts `fn` throws a HansaError with `code` and returns it for further checks. */
export function expectCode(fn: () => unknown, code: string): Error {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, `expected ${code}`).toBeDefined();
  if (!isHansaError(thrown)) throw thrown;
  expect(thrown.code).toBe(code);
  return thrown;
}

export function expectEncodingError(fn: () => unknown, code: string): EncodingError {
  const err = expectCode(fn, code);
  expect(err).toBeInstanceOf(EncodingError);
  return err as EncodingError;
}

// ---- samples of every structure -------------------------------------------------------------------------

export function sampleTransaction(): Transaction {
  return {
    chainId: CHAIN_ID,
    sender: getPublicKey(secretKey(1)),
    nonce: 7,
    kind: "record.put",
    payload: utf8ToBytes("pallet 42 left the dock"),
    signature: filled(64, 0xab),
  };
}

export function sampleVote(): Vote {
  return {
    type: 2,
    height: 10,
    round: 1,
    blockHash: filled(32, 0x11),
    validator: getPublicKey(secretKey(2)),
    signature: filled(64, 0xcd),
  };
}

export function sampleProposal(): Proposal {
  return {
    height: 10,
    round: 2,
    polRound: 1,
    blockHash: filled(32, 0x22),
    proposer: getPublicKey(secretKey(3)),
    signature: filled(64, 0xef),
  };
}

export function sampleEvidence(): Evidence {
  return { kind: "duplicate_vote", first: sampleVote(), second: { ...sampleVote(), blockHash: null } };
}

export function sampleCommit(): CommitCertificate {
  return {
    height: 9,
    round: 0,
    blockHash: filled(32, 0x33),
    signatures: [
      { validatorIndex: 0, signature: filled(64, 1) },
      { validatorIndex: 2, signature: filled(64, 2) },
      { validatorIndex: 3, signature: filled(64, 3) },
    ],
  };
}

export function sampleHeader(): BlockHeader {
  return {
    chainId: CHAIN_ID,
    height: 10,
    time: 1_750_000_000_000,
    prevBlockHash: filled(32, 0x44),
    txRoot: filled(32, 0x55),
    stateRoot: filled(32, 0x66),
    receiptsRoot: filled(32, 0x77),
    evidenceRoot: filled(32, 0x7a),
    validatorSetHash: filled(32, 0x88),
    proposer: getPublicKey(secretKey(3)),
    lastCommitHash: filled(32, 0x99),
  };
}

export function sampleBlock(): Block {
  return {
    header: sampleHeader(),
    txs: [new Uint8Array([0x80]), filled(100, 7)],
    evidence: [],
    lastCommit: sampleCommit(),
  };
}

export function sampleReceipt(): Receipt {
  return {
    txHash: filled(32, 0x12),
    ok: false,
    code: "LEDGER_PERMISSION_DENIED",
    message: "sender may not write to this record",
    result: new Uint8Array(0),
  };
}

export function sampleValidators(count = 4, power = 1): Validator[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `validator-${i}`,
    publicKey: getPublicKey(secretKey(100 + i)),
    power,
  }));
}

export function sampleGenesis(): Genesis {
  return {
    chainId: CHAIN_ID,
    genesisTime: 1_750_000_000_000,
    validators: sampleValidators(),
    organizations: [
      {
        id: "acme",
        name: "Acme Manufacturing",
        members: [{ publicKey: getPublicKey(secretKey(50)), roles: ["admin", "writer"] }],
      },
      {
        id: "blue-carrier",
        name: "Blue Carrier Ltd",
        members: [
          { publicKey: getPublicKey(secretKey(51)), roles: ["writer"] },
          { publicKey: getPublicKey(secretKey(52)), roles: [] },
        ],
      },
    ],
    consensusParams: { ...DEFAULT_CONSENSUS_PARAMS },
  };
}

// ---- arbitraries of valid values --------------------------------------------------------------------------

const byteLength = (s: string) => Buffer.byteLength(s, "utf8");

export const arbHash = fc.uint8Array({ minLength: 32, maxLength: 32 });
export const arbKey = arbHash;
export const arbSignature = fc.uint8Array({ minLength: 64, maxLength: 64 });
export const arbUint = fc.maxSafeNat();
export const arbSmallUint = fc.nat({ max: 1_000_000 });

export function arbText(maxBytes: number): fc.Arbitrary<string> {
  return fc.string({ unit: "binary", maxLength: maxBytes }).filter((s) => byteLength(s) <= maxBytes);
}

export const arbChainId = fc.stringMatching(CHAIN_ID_PATTERN).filter((s) => byteLength(s) <= 64);
export const arbKind = fc.stringMatching(TX_KIND_PATTERN).filter((s) => byteLength(s) <= 64);

export const arbTransaction: fc.Arbitrary<Transaction> = fc.record({
  chainId: arbChainId,
  sender: arbKey,
  nonce: arbUint,
  kind: arbKind,
  payload: fc.uint8Array({ maxLength: 512 }),
  signature: arbSignature,
});

export const arbVote: fc.Arbitrary<Vote> = fc.record({
  type: fc.constantFrom(1 as const, 2 as const),
  height: arbUint,
  round: arbSmallUint,
  blockHash: fc.option(arbHash, { nil: null }),
  validator: arbKey,
  signature: arbSignature,
});

export const arbProposal: fc.Arbitrary<Proposal> = fc.record({
  height: arbUint,
  round: arbSmallUint,
  polRound: fc.option(arbSmallUint, { nil: null }),
  blockHash: arbHash,
  proposer: arbKey,
  signature: arbSignature,
});

export const arbEvidence: fc.Arbitrary<Evidence> = fc.oneof(
  fc.record({ kind: fc.constant("duplicate_vote" as const), first: arbVote, second: arbVote }),
  fc.record({ kind: fc.constant("duplicate_proposal" as const), first: arbProposal, second: arbProposal }),
);

export const arbCommit: fc.Arbitrary<CommitCertificate> = fc.record({
  height: arbUint,
  round: arbSmallUint,
  blockHash: arbHash,
  signatures: fc.array(fc.record({ validatorIndex: fc.nat({ max: MAX_VALIDATORS - 1 }), signature: arbSignature }), {
    maxLength: 8,
  }),
});

export const arbHeader: fc.Arbitrary<BlockHeader> = fc.record({
  chainId: arbChainId,
  height: arbUint,
  time: arbUint,
  prevBlockHash: arbHash,
  txRoot: arbHash,
  stateRoot: arbHash,
  receiptsRoot: arbHash,
  evidenceRoot: arbHash,
  validatorSetHash: arbHash,
  proposer: arbKey,
  lastCommitHash: fc.option(arbHash, { nil: null }),
});

export const arbBlock: fc.Arbitrary<Block> = fc.record({
  header: arbHeader,
  txs: fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 8 }),
  evidence: fc.array(arbEvidence, { maxLength: 2 }),
  lastCommit: fc.option(arbCommit, { nil: null }),
});

export const arbReceipt: fc.Arbitrary<Receipt> = fc.record({
  txHash: arbHash,
  ok: fc.boolean(),
  code: arbText(64),
  message: arbText(512),
  result: fc.uint8Array({ maxLength: 300 }),
});

export const arbValidator: fc.Arbitrary<Validator> = fc.record({
  name: arbText(64),
  publicKey: arbKey,
  power: fc.integer({ min: 1, max: 1_000_000 }),
});

export const arbGenesis: fc.Arbitrary<Genesis> = fc.record({
  chainId: arbChainId,
  genesisTime: arbUint,
  validators: fc.array(arbValidator, { maxLength: 6 }),
  organizations: fc.array(
    fc.record({
      id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,31}$/),
      name: arbText(128),
      members: fc.array(fc.record({ publicKey: arbKey, roles: fc.subarray([...ROLES]) }), { maxLength: 3 }),
    }),
    { maxLength: 3 },
  ),
  consensusParams: fc.record({
    timeoutProposeMs: arbSmallUint,
    timeoutPrevoteMs: arbSmallUint,
    timeoutPrecommitMs: arbSmallUint,
    timeoutDeltaMs: arbSmallUint,
    timeoutCapMs: arbSmallUint,
    timeoutCommitMs: arbSmallUint,
    maxBlockBytes: arbSmallUint,
    maxBlockTxs: arbSmallUint,
    emptyBlockIntervalMs: arbSmallUint,
  }),
});

// ---- a hand CBOR writer (RFC 8949 section 3) ------------------------------------------------------------

/** Argument widths: 0 puts the value in the initial byte; 1, 2, 4, 8 force that many following bytes. */
export type Width = 0 | 1 | 2 | 4 | 8;

function minimalWidth(n: number): Width {
  if (n < 24) return 0;
  if (n < 0x100) return 1;
  if (n < 0x10000) return 2;
  if (n < 0x100000000) return 4;
  return 8;
}

/** The initial byte and argument of a data item of `major` type, with an optional forced (wider) width. */
export function head(major: number, n: number, width: Width = minimalWidth(n)): Uint8Array {
  const info = { 0: n, 1: 24, 2: 25, 4: 26, 8: 27 }[width];
  const out = new Uint8Array(1 + width);
  out[0] = (major << 5) | info;
  let v = BigInt(n);
  for (let i = width; i >= 1; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export const cbor = {
  uint: (n: number, width?: Width) => head(0, n, width),
  negint: (n: number) => head(1, -1 - n),
  bytes: (b: Uint8Array, width?: Width) => concatBytes(head(2, b.length, width), b),
  rawText: (b: Uint8Array, width?: Width) => concatBytes(head(3, b.length, width), b),
  text: (s: string, width?: Width) => cbor.rawText(utf8ToBytes(s), width),
  array: (items: Uint8Array[], width?: Width) => concatBytes(head(4, items.length, width), ...items),
  map: (pairs: [Uint8Array, Uint8Array][]) => concatBytes(head(5, pairs.length), ...pairs.flat()),
  indefiniteArray: (items: Uint8Array[]) => concatBytes(new Uint8Array([0x9f]), ...items, new Uint8Array([0xff])),
  indefiniteBytes: (chunks: Uint8Array[]) =>
    concatBytes(new Uint8Array([0x5f]), ...chunks.map((c) => cbor.bytes(c)), new Uint8Array([0xff])),
  indefiniteText: (chunks: string[]) =>
    concatBytes(new Uint8Array([0x7f]), ...chunks.map((c) => cbor.text(c)), new Uint8Array([0xff])),
  float64: (x: number) => {
    const out = new Uint8Array(9);
    out[0] = 0xfb;
    new DataView(out.buffer).setFloat64(1, x);
    return out;
  },
  float32: (x: number) => {
    const out = new Uint8Array(5);
    out[0] = 0xfa;
    new DataView(out.buffer).setFloat32(1, x);
    return out;
  },
  /** Half precision, only for small integers (exact in binary16). */
  float16: (x: number) => {
    const out = new Uint8Array(3);
    out[0] = 0xf9;
    const e = x === 0 ? 0 : Math.floor(Math.log2(x));
    const bits = x === 0 ? 0 : ((e + 15) << 10) | Math.round((x / 2 ** e - 1) * 1024);
    out[1] = bits >> 8;
    out[2] = bits & 0xff;
    return out;
  },
  true: new Uint8Array([0xf5]),
  false: new Uint8Array([0xf4]),
  null: new Uint8Array([0xf6]),
  undefined: new Uint8Array([0xf7]),
};

/** The canonical CBOR of a transaction, field by field, so single fields can be swapped for other forms. */
export function transactionItems(tx: Transaction): Record<keyof Transaction, Uint8Array> {
  return {
    chainId: cbor.text(tx.chainId),
    sender: cbor.bytes(tx.sender),
    nonce: cbor.uint(tx.nonce),
    kind: cbor.text(tx.kind),
    payload: cbor.bytes(tx.payload),
    signature: cbor.bytes(tx.signature),
  };
}

export function transactionFrom(items: Record<keyof Transaction, Uint8Array>): Uint8Array {
  return cbor.array([items.chainId, items.sender, items.nonce, items.kind, items.payload, items.signature]);
}
