import { PUBLIC_KEY_LENGTH } from "@hansa/core";
import type { PeerId } from "@libp2p/interface";
import { keyId, publicKeyOfPeer } from "./keys.js";

/** The public keys permitted on this network: genesis validators plus configured observers. */
export class AllowList {
  private keys = new Set<string>();

  constructor(publicKeys: readonly Uint8Array[]) {
    this.replace(publicKeys);
  }

  replace(publicKeys: readonly Uint8Array[]): void {
    const next = new Set<string>();
    publicKeys.forEach((key, i) => {
      if (!(key instanceof Uint8Array) || key.length !== PUBLIC_KEY_LENGTH) {
        throw new TypeError(`"allowList[${i}]" expected ${PUBLIC_KEY_LENGTH} bytes, got ${key?.length}`);
      }
      next.add(keyId(key));
    });
    this.keys = next;
  }

  hasKey(publicKey: Uint8Array): boolean {
    return this.keys.has(keyId(publicKey));
  }

  allows(peerId: PeerId): boolean {
    const key = publicKeyOfPeer(peerId);
    return key !== undefined && this.hasKey(key);
  }

  get size(): number {
    return this.keys.size;
  }
}
