import { afterEach, describe, expect, it } from "vitest";
import { Cluster, makeKeys, peerOf, waitFor } from "../helpers.js";

describe("permissioned connections", () => {
  const cluster = new Cluster();
  afterEach(() => cluster.stopAll());

  it("connects two allow-listed peers", async () => {
    const [a, b] = makeKeys(2) as [ReturnType<typeof makeKeys>[0], ReturnType<typeof makeKeys>[0]];
    const allowList = [a.publicKey, b.publicKey];
    const na = await cluster.start(a, { allowList });
    const nb = await cluster.start(b, { allowList, peers: [peerOf(na)] });
    await waitFor(() => na.net.peerCount() === 1 && nb.net.peerCount() === 1, "connection");
    expect(na.net.peers()[0]?.publicKey).toEqual(b.publicKey);
  });

  it("refuses an inbound peer outside the allow-list at the handshake and logs it", async () => {
    const [member, outsider] = makeKeys(2) as [ReturnType<typeof makeKeys>[0], ReturnType<typeof makeKeys>[0]];
    const nm = await cluster.start(member, { allowList: [member.publicKey] });
    // The outsider allows the member, so only the member's gater can refuse.
    const no = await cluster.start(outsider, {
      allowList: [member.publicKey, outsider.publicKey],
      peers: [peerOf(nm)],
    });
    await waitFor(() => nm.logger.has("peer refused", { peerId: no.net.peerId, direction: "inbound" }), "refusal");
    expect(nm.net.peerCount()).toBe(0);
    expect(no.net.peerCount()).toBe(0);
  });

  it("refuses to dial a configured peer outside the allow-list", async () => {
    const [member, outsider] = makeKeys(2) as [ReturnType<typeof makeKeys>[0], ReturnType<typeof makeKeys>[0]];
    // The outsider would accept the member; the member's own gater stops the outbound connection.
    const no = await cluster.start(outsider, { allowList: [member.publicKey, outsider.publicKey] });
    const nm = await cluster.start(member, { allowList: [member.publicKey], peers: [peerOf(no)] });
    await waitFor(() => nm.logger.has("peer refused", { peerId: no.net.peerId }), "refusal");
    expect(nm.logger.has("configured peer is not in the allow-list; it will be refused")).toBe(true);
    expect(nm.net.peerCount()).toBe(0);
    expect(no.net.peerCount()).toBe(0);
  });
});
