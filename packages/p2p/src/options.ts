import { CHAIN_ID_PATTERN, PUBLIC_KEY_LENGTH } from "@hansa/core";
import { multiaddr } from "@multiformats/multiaddr";
import { P2pError } from "./errors.js";
import type { NetworkOptions } from "./types.js";

function bad(field: string, message: string): never {
  throw new P2pError({ code: "P2P_BAD_OPTIONS", field }, `"${field}" ${message}`);
}

function checkAddr(field: string, addr: unknown): void {
  if (typeof addr !== "string") bad(field, "expected a multiaddr string");
  try {
    multiaddr(addr);
  } catch (err) {
    bad(field, `is not a multiaddr: ${(err as Error).message}`);
  }
  if (addr.includes("/p2p/")) bad(field, "must not carry /p2p/; the peer id comes from the public key");
}

/** Checks the shape of the options at the boundary, naming the first bad field. */
export function validateOptions(options: NetworkOptions): void {
  if (typeof options.chainId !== "string" || !CHAIN_ID_PATTERN.test(options.chainId)) {
    bad("chainId", `expected to match ${CHAIN_ID_PATTERN}`);
  }
  if (!Array.isArray(options.listen)) bad("listen", "expected an array of multiaddrs");
  options.listen.forEach((addr, i) => {
    if (typeof addr !== "string") bad(`listen[${i}]`, "expected a multiaddr string");
    try {
      multiaddr(addr);
    } catch (err) {
      bad(`listen[${i}]`, `is not a multiaddr: ${(err as Error).message}`);
    }
  });
  if (!Array.isArray(options.peers)) bad("peers", "expected an array");
  options.peers.forEach((peer, i) => {
    if (!(peer?.publicKey instanceof Uint8Array) || peer.publicKey.length !== PUBLIC_KEY_LENGTH) {
      bad(`peers[${i}].publicKey`, `expected ${PUBLIC_KEY_LENGTH} bytes`);
    }
    if (!Array.isArray(peer.addrs) || peer.addrs.length === 0) bad(`peers[${i}].addrs`, "expected addresses");
    peer.addrs.forEach((addr, j) => {
      checkAddr(`peers[${i}].addrs[${j}]`, addr);
    });
  });
  if (!Array.isArray(options.allowList)) bad("allowList", "expected an array of public keys");
}
