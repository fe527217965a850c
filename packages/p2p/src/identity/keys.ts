import { bytesToHex, concatBytes, getPublicKey, SECRET_KEY_LENGTH } from "@hansa/core";
import { privateKeyFromRaw, publicKeyFromRaw } from "@libp2p/crypto/keys";
import type { PeerId, PrivateKey } from "@libp2p/interface";
import { peerIdFromPublicKey } from "@libp2p/peer-id";

/**
 * The validator's Ed25519 key is its libp2p identity: Noise proves possession of it during the handshake,
 * so a connected peer id IS a proof of the validator key, with no separate binding document to check.
 */
export function libp2pKeyFromSecret(secretKey: Uint8Array): PrivateKey {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== SECRET_KEY_LENGTH) {
    throw new TypeError(`"secretKey" expected ${SECRET_KEY_LENGTH} bytes, got ${secretKey?.length}`);
  }
  // libp2p's raw Ed25519 private key is seed ‖ public key.
  return privateKeyFromRaw(concatBytes(secretKey, getPublicKey(secretKey)));
}

export function peerIdFromKey(publicKey: Uint8Array): PeerId {
  return peerIdFromPublicKey(publicKeyFromRaw(publicKey));
}

/** The 32-byte Ed25519 key inside a peer id, or undefined for any other key type. */
export function publicKeyOfPeer(peerId: PeerId): Uint8Array | undefined {
  const key = peerId.publicKey;
  return key?.type === "Ed25519" ? key.raw : undefined;
}

export function keyId(publicKey: Uint8Array): string {
  return bytesToHex(publicKey);
}
