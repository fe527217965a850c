import { equalBytes, getPublicKey, sha256, sha256Parts, sign, utf8ToBytes, verify } from "@hansa/core";
import type { Signer, VerifySignature } from "../types.js";

/** A validator's keys in the simulation. */
export interface SimKey {
  signer: Signer;
  publicKey: Uint8Array;
}

export interface SimCrypto {
  keyFor(seed: number, index: number): SimKey;
  verify: VerifySignature;
}

/**
 * A deterministic stand-in for Ed25519, one hash per signature. Anyone could forge it, which is fine here:
 * simulated adversaries only sign with their own keys. It keeps thousands of schedules fast.
 */
export const cheapCrypto: SimCrypto = {
  keyFor(seed, index) {
    const publicKey = sha256(utf8ToBytes(`sim-key/${seed}/${index}`));
    const signer: Signer = { publicKey, sign: (message) => cheapSignature(publicKey, message) };
    return { signer, publicKey };
  },
  verify: (signature, message, publicKey) =>
    signature.length === 64 && equalBytes(signature, cheapSignature(publicKey, message)),
};

function cheapSignature(publicKey: Uint8Array, message: Uint8Array): Uint8Array {
  const h = sha256Parts(publicKey, message);
  const out = new Uint8Array(64);
  out.set(h, 0);
  out.set(h, 32);
  return out;
}

/** Real Ed25519 from @hansa/core, for the runs that check the engine with production signatures. */
export const ed25519Crypto: SimCrypto = {
  keyFor(seed, index) {
    const secret = sha256(utf8ToBytes(`sim-secret/${seed}/${index}`));
    const publicKey = getPublicKey(secret);
    return { signer: { publicKey, sign: (message) => sign(message, secret) }, publicKey };
  },
  verify,
};
