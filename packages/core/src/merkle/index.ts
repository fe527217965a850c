export { consistencyProof, verifyConsistency } from "./consistency.js";
export { inclusionProof, verifyInclusion } from "./inclusion.js";
export { EMPTY_ROOT, leafHash, merkleRoot, nodeHash, subtreeRoot } from "./tree.js";
