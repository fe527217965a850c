// The ledger's state commitment: a path-compressed sparse Merkle tree (tree.ts, format in docs/state-tree.md),
// stored in pages of four binary levels (node.ts).
export type { SmtErrorType } from "./errors.js";
export { SmtError, SmtErrorCode } from "./errors.js";
export { SMT_EMPTY_ROOT, smtInteriorHash, smtLeafHash } from "./hash.js";
export { smtRecordHash } from "./node.js";
export { decodeSmtProof, encodeSmtProof, SMT_PROOF_MAX_BYTES, SmtProofCodec, verifySmtProof } from "./proof.js";
export { SparseMerkleTree } from "./tree.js";
export type { SmtChange, SmtLeaf, SmtNodeEntry, SmtNodeStore, SmtProof, SmtUpdate } from "./types.js";
