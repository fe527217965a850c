import { decodeSmtProof, encodeSmtProof, SMT_EMPTY_ROOT, SparseMerkleTree, sha256, verifySmtProof } from "@hansa/core";
import { isCommittedKey, stateKeys } from "./keys.js";
import type { StateReader, StateWrite } from "./state.js";

/**
 * The state root: the one place that knows how committed state becomes a 32-byte commitment. It is the root
 * of the sparse Merkle tree of @hansa/core over every committed key: leaf key SHA-256(state key), leaf value
 * SHA-256(stored bytes). The tree's nodes live in the state itself under the `s` tag, written in the same
 * batch as the block, so any root the node still holds can prove any key's value or absence.
 */

export const EMPTY_STATE_ROOT: Uint8Array = SMT_EMPTY_ROOT;

export interface Commitment {
  root: Uint8Array;
  /** Tree nodes the new root needs, as state writes. */
  nodes: StateWrite[];
}

function treeOver(state: StateReader): SparseMerkleTree {
  return new SparseMerkleTree({ get: (hash) => state.get(stateKeys.treeNode(hash)) });
}

/** The root after applying `writes` to the state committed by `prevRoot`; `state` must hold its nodes. */
export async function commitState(
  state: StateReader,
  prevRoot: Uint8Array,
  writes: readonly StateWrite[],
): Promise<Commitment> {
  const changes = writes
    .filter((w) => isCommittedKey(w.key))
    .map((w) => ({ key: sha256(w.key), valueHash: w.value === null ? null : sha256(w.value) }));
  if (changes.length === 0) return { root: prevRoot, nodes: [] };
  const update = await treeOver(state).update(prevRoot, changes);
  return {
    root: update.root,
    nodes: update.nodes.map(([hash, node]) => ({ key: stateKeys.treeNode(hash), value: node })),
  };
}

/** Encoded SmtProof (canonical CBOR), ready to send. */
export type StateProof = Uint8Array;

/** Proof of the value (or absence) of a state key under `root`. */
export async function proveState(state: StateReader, root: Uint8Array, key: Uint8Array): Promise<StateProof> {
  return encodeSmtProof(await treeOver(state).prove(root, sha256(key)));
}

/** Whether `proof` shows that under `root` the state key holds `value` (its stored bytes), or is absent if null. */
export function verifyStateProof(
  root: Uint8Array,
  key: Uint8Array,
  value: Uint8Array | null,
  proof: StateProof,
): boolean {
  try {
    return verifySmtProof(root, sha256(key), value === null ? null : sha256(value), decodeSmtProof(proof));
  } catch {
    return false;
  }
}
