import { core, node } from "./paths.mjs";
import { call, submitBatch } from "./rpc.mjs";
import { createWriter, submitRequest } from "./signing.mjs";

/**
 * Funds the writers: each organization's admin creates the namespace `bench-<org>` and adds its share of the
 * K writers as `writer` members. Returns once every admin's transactions are committed.
 */
export async function setupWriters({ layout, count, log }) {
  const admins = await Promise.all(layout.accounts.map((a) => core.loadKeyFile(a.keyFile)));
  const orgs = layout.accounts.map((a) => a.organization);
  const writers = [];
  for (let i = 0; i < count; i++) {
    const writer = createWriter(core.generateSecretKey(), orgs[i % orgs.length]);
    writer.index = i;
    writers.push(writer);
  }
  const expected = [];
  for (let a = 0; a < admins.length; a++) {
    const { secretKey } = admins[a];
    const org = orgs[a];
    const payloads = [node.buildPayload("namespace.create", { name: `bench-${org}`, description: "bench load" })];
    for (const w of writers.filter((x) => x.org === org)) {
      payloads.push(node.buildPayload("member.add", { publicKey: w.publicKey, roles: ["writer"] }));
    }
    const requests = payloads.map(({ kind, payload }, nonce) => {
      const tx = core.signTransaction({ chainId: layout.chainId, nonce, kind, payload }, secretKey);
      return submitRequest(core.bytesTo0x(core.encodeTransaction(tx)));
    });
    const { errors } = await submitBatch(layout.nodes[a % layout.nodes.length].rpcUrl, requests);
    if (errors.length > 0) throw new Error(`setup transactions of ${org} refused: ${errors.join(", ")}`);
    expected.push({ address: layout.accounts[a].address, nonce: payloads.length });
  }
  const deadline = Date.now() + 60_000;
  for (const { address, nonce } of expected) {
    while ((await call(layout.nodes[0].rpcUrl, "account_get", [address])).nonce < nonce) {
      if (Date.now() > deadline) throw new Error("setup transactions did not commit within 60 s");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  log(`${writers.length} writers added to ${orgs.length} organization${orgs.length === 1 ? "" : "s"}`);
  return writers;
}
