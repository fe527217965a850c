// @hansa/core: the data model every other package imports.

export type { Block, BlockHeader } from "./block/block.js";
export {
  BlockCodec,
  BlockHeaderCodec,
  blockHash,
  decodeBlock,
  decodeBlockHeader,
  encodeBlock,
  encodeBlockHeader,
  evidenceRoot,
} from "./block/block.js";
export {
  assertBytes,
  bytesTo0x,
  bytesToHex,
  bytesToKey,
  bytesToUtf8,
  compareBytes,
  concatBytes,
  equalBytes,
  hexToBytes,
  isBytes,
  utf8ToBytes,
} from "./bytes.js";
export type { CommitCertificate, CommitErrorType } from "./consensus/commit.js";
export {
  CommitCertificateCodec,
  CommitError,
  commitFromPrecommits,
  commitHash,
  decodeCommit,
  encodeCommit,
  verifyCommit,
} from "./consensus/commit.js";
export type { Evidence, EvidenceKind, EvidenceSubject } from "./consensus/evidence.js";
export {
  decodeEvidence,
  EvidenceCodec,
  encodeEvidence,
  evidenceId,
  evidenceSubject,
} from "./consensus/evidence.js";
export type { Proposal, UnsignedProposal } from "./consensus/proposal.js";
export {
  decodeProposal,
  encodeProposal,
  ProposalCodec,
  proposalSigningBytes,
  signProposal,
  verifyProposalSignature,
} from "./consensus/proposal.js";
export type { UnsignedVote, Vote } from "./consensus/vote.js";
export {
  decodeVote,
  encodeVote,
  signVote,
  VoteCodec,
  VoteType,
  verifyVoteSignature,
  voteSigningBytes,
} from "./consensus/vote.js";
export type { Bound, Codec, EncodingErrorType, Infer } from "./encoding/index.js";
export {
  bool,
  bytes,
  DEFAULT_MAX_DECODE_BYTES,
  decode,
  decodeTrusted,
  EncodingError,
  EncodingErrorCode,
  encode,
  list,
  nullable,
  oneOf,
  schemaError,
  struct,
  text,
  uint,
} from "./encoding/index.js";
export { HansaError, isHansaError } from "./errors.js";
export type { ConsensusParams, Genesis, GenesisJson, Member, Organization, Role } from "./genesis.js";
export {
  ConsensusParamsCodec,
  DEFAULT_CONSENSUS_PARAMS,
  decodeGenesis,
  encodeGenesis,
  GenesisCodec,
  GenesisError,
  genesisFromJson,
  genesisHash,
  genesisToJson,
  MemberCodec,
  ORG_ID_PATTERN,
  OrganizationCodec,
  ROLES,
  validateGenesis,
} from "./genesis.js";
export { HASH_LENGTH, sha256, sha256Key, sha256Pair, sha256Parts } from "./hash.js";
export {
  ADDRESS_BYTES,
  ADDRESS_PREFIX,
  AddressError,
  addressBytesFromPublicKey,
  addressFromPublicKey,
  addressToBytes,
  isAddress,
} from "./keys/address.js";
export {
  createSigner,
  generateSecretKey,
  getPublicKey,
  PUBLIC_KEY_LENGTH,
  SECRET_KEY_LENGTH,
  SIGNATURE_LENGTH,
  sign,
  verify,
  verifyPortable,
} from "./keys/ed25519.js";
export type { KeyFileJson, KeyPair } from "./keys/keyfile.js";
export {
  KeyFileError,
  KeyFileErrorCode,
  keyFileFromSecret,
  keyPairFromKeyFile,
  loadKeyFile,
  saveKeyFile,
} from "./keys/keyfile.js";
export * from "./limits.js";
export {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  merkleRoot,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from "./merkle/index.js";
export { RecentMap } from "./recent-map.js";
export { allocBytes } from "./slab.js";
export type { SmtChange, SmtErrorType, SmtLeaf, SmtNodeEntry, SmtNodeStore, SmtProof, SmtUpdate } from "./smt/index.js";
export {
  decodeSmtProof,
  encodeSmtProof,
  SMT_EMPTY_ROOT,
  SMT_PROOF_MAX_BYTES,
  SmtError,
  SmtErrorCode,
  SmtProofCodec,
  SparseMerkleTree,
  smtInteriorHash,
  smtLeafHash,
  smtRecordHash,
  verifySmtProof,
} from "./smt/index.js";
export type { Receipt } from "./tx/receipt.js";
export { decodeReceipt, encodeReceipt, ReceiptCodec } from "./tx/receipt.js";
export type { Transaction, UnsignedTransaction } from "./tx/transaction.js";
export {
  decodeTransaction,
  encodeTransaction,
  signTransaction,
  TransactionCodec,
  TX_KIND_PATTERN,
  transactionHash,
  transactionSigningBytes,
  transactionSigningBytesFromEncoded,
  verifyEncodedTransactionSignature,
  verifyTransactionSignature,
} from "./tx/transaction.js";
export type { Validator, ValidatorSetErrorType } from "./validators.js";
export { ValidatorCodec, ValidatorSet, ValidatorSetCodec, ValidatorSetError } from "./validators.js";
