import { createHash, createPrivateKey, sign } from "node:crypto";
import { core, node } from "./paths.mjs";

/**
 * Pre-signs the load: `record.put` transactions with small values and distinct keys, each writer's with
 * consecutive nonces. Signs with OpenSSL (Ed25519 signatures are deterministic, so they equal what
 * @hansa/core's portable signer makes) because signing is setup, not what the bench measures.
 */

// RFC 8410 PKCS#8 prefix for a raw 32-byte Ed25519 seed.
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const VALUE_BYTES = 100;

let requestId = 1;

/** The `tx_submit` request as JSON text, ready to join into a batch. */
export function submitRequest(hex) {
  return `{"jsonrpc":"2.0","id":${requestId++},"method":"tx_submit","params":["${hex}"]}`;
}

/** Signs one transaction natively; returns its JSON-RPC request text and its hash as the chain prints it. */
export function signNative({ chainId, writer, nonce, kind, payload }) {
  const unsigned = { chainId, sender: writer.publicKey, nonce, kind, payload };
  const signature = sign(null, core.transactionSigningBytes(unsigned), writer.keyObject);
  const encoded = core.encodeTransaction({ ...unsigned, signature: new Uint8Array(signature) });
  const hash = `0x${createHash("sha256").update(encoded).digest("hex")}`;
  return { request: submitRequest(`0x${Buffer.from(encoded).toString("hex")}`), hash };
}

export function createWriter(secretKey, org) {
  const keyObject = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secretKey]), format: "der", type: "pkcs8" });
  return { secretKey, publicKey: core.getPublicKey(secretKey), keyObject, org, namespace: `bench-${org}`, nonce: 0 };
}

/**
 * `count` transactions for each node queue: writers are split over the nodes (a writer always submits
 * through the same node, so its nonces arrive in order) and interleaved round-robin within a node, so a
 * batch spreads over many senders and no sender runs past the mempool's nonce window.
 */
export function presign({ chainId, writers, nodeCount, count }) {
  /** tx hash → the transaction's index, for the chain watch's per-transaction arrays. */
  const ids = new Map();
  const queues = Array.from({ length: nodeCount }, () => []);
  const byNode = Array.from({ length: nodeCount }, () => []);
  for (const [i, w] of writers.entries()) byNode[i % nodeCount].push(w);
  const value = new Uint8Array(VALUE_BYTES).fill(0x61);
  for (let made = 0; made < count; ) {
    for (let n = 0; n < nodeCount && made < count; n++) {
      const group = byNode[n];
      for (let j = 0; j < group.length && made < count; j++) {
        const w = group[j];
        const nonce = w.nonce++;
        const { kind, payload } = node.buildPayload("record.put", {
          namespace: w.namespace,
          key: `k-${w.index}-${nonce}`,
          value,
        });
        const signed = signNative({ chainId, writer: w, nonce, kind, payload });
        signed.id = made++;
        ids.set(signed.hash, signed.id);
        queues[n].push(signed);
      }
    }
  }
  return { queues, ids };
}
