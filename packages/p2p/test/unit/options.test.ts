import { generateSecretKey, getPublicKey } from "@hansa/core";
import { createNetwork, libp2pKeyFromSecret, P2pError, peerIdFromKey, publicKeyOfPeer } from "@hansa/p2p";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { describe, expect, it } from "vitest";
import { MemoryBlockSource } from "../helpers.js";

const sk = generateSecretKey();
const base = { chainId: "test", secretKey: sk, listen: ["/ip4/127.0.0.1/tcp/0"], peers: [], allowList: [] };
const components = { blockSource: new MemoryBlockSource() };

/** "code:field" of the P2pError `fn` throws. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof P2pError && err.type.code === "P2P_BAD_OPTIONS") return `${err.code}:${err.type.field}`;
    throw err;
  }
  throw new Error("did not throw");
}

describe("identity", () => {
  it("makes the validator key the libp2p identity", () => {
    const peerId = peerIdFromPrivateKey(libp2pKeyFromSecret(sk));
    expect(publicKeyOfPeer(peerId)).toEqual(getPublicKey(sk));
    expect(peerIdFromKey(getPublicKey(sk)).equals(peerId)).toBe(true);
    expect(createNetwork(base, components).peerId).toBe(peerId.toString());
  });
});

describe("options", () => {
  it("names the first bad field", () => {
    expect(codeOf(() => createNetwork({ ...base, chainId: "Bad Chain" }, components))).toBe("P2P_BAD_OPTIONS:chainId");
    expect(codeOf(() => createNetwork({ ...base, listen: ["nope"] }, components))).toBe("P2P_BAD_OPTIONS:listen[0]");
    const peer = { publicKey: new Uint8Array(31), addrs: ["/ip4/127.0.0.1/tcp/1"] };
    expect(codeOf(() => createNetwork({ ...base, peers: [peer] }, components))).toBe(
      "P2P_BAD_OPTIONS:peers[0].publicKey",
    );
    expect(() => createNetwork({ ...base, secretKey: new Uint8Array(5) }, components)).toThrow(TypeError);
    expect(() => createNetwork({ ...base, allowList: [new Uint8Array(3)] }, components)).toThrow(TypeError);
    expect(() => createNetwork({ ...base, limits: { syncBatchBlocks: -1 } }, components)).toThrow(RangeError);
  });

  it("refuses to send before start", () => {
    const net = createNetwork(base, components);
    expect(() => net.broadcastTxs([new Uint8Array(1)])).toThrow(P2pError);
  });
});
