import { describe, expect, it } from "vitest";
import { getNamespace, LedgerErrorCode, MAX_ORG_GRANTS } from "../../src/ledger/index.js";
import { expectOk, keys, TestChain, testGenesis, testKey, text } from "./helpers.js";

const put = (namespace: string, key = "k") => ({ namespace, key, value: text("v") });

async function withShipments(): Promise<TestChain> {
  const chain = await TestChain.create();
  expectOk(await chain.run(keys.mfgAdmin, "namespace.create", { name: "shipments", description: "Shipments" }));
  return chain;
}

describe("namespaces", () => {
  it("an admin creates a namespace owned by its organization", async () => {
    const chain = await withShipments();
    expect(await getNamespace(chain.state, "shipments")).toEqual({
      name: "shipments",
      description: "Shipments",
      owner: "mfg",
      createdHeight: 1,
      orgGrants: [],
      memberGrants: [],
    });
    expect((await chain.run(keys.carrierAdmin, "namespace.create", { name: "shipments", description: "" })).code).toBe(
      LedgerErrorCode.NAMESPACE_EXISTS,
    );
  });

  it("only admins create namespaces", async () => {
    const chain = await TestChain.create();
    expect((await chain.run(keys.mfgWriter, "namespace.create", { name: "a", description: "" })).code).toBe(
      LedgerErrorCode.PERMISSION_DENIED,
    );
    expect((await chain.run(keys.v1, "namespace.create", { name: "a", description: "" })).code).toBe(
      LedgerErrorCode.NOT_MEMBER,
    );
  });

  it("grants and revokes organizations, kept sorted", async () => {
    const chain = await withShipments();
    const grant = (org: string) => ({ namespace: "shipments", org, member: null });
    expectOk(await chain.run(keys.mfgAdmin, "namespace.grant", grant("customs")));
    expectOk(await chain.run(keys.mfgAdmin, "namespace.grant", grant("carrier")));
    expect((await getNamespace(chain.state, "shipments"))?.orgGrants).toEqual(["carrier", "customs"]);
    expect((await chain.run(keys.mfgAdmin, "namespace.grant", grant("carrier"))).code).toBe(
      LedgerErrorCode.GRANT_EXISTS,
    );
    expect((await chain.run(keys.mfgAdmin, "namespace.grant", grant("mfg"))).code).toBe(LedgerErrorCode.GRANT_EXISTS);
    expect((await chain.run(keys.mfgAdmin, "namespace.grant", grant("nobody"))).code).toBe(LedgerErrorCode.UNKNOWN_ORG);
    expectOk(await chain.run(keys.mfgAdmin, "namespace.revoke", grant("carrier")));
    expect((await getNamespace(chain.state, "shipments"))?.orgGrants).toEqual(["customs"]);
    expect((await chain.run(keys.mfgAdmin, "namespace.revoke", grant("carrier"))).code).toBe(
      LedgerErrorCode.GRANT_NOT_FOUND,
    );
  });

  it("grants and revokes single members", async () => {
    const chain = await withShipments();
    const grant = (k: Uint8Array) => ({ namespace: "shipments", org: null, member: k });
    expectOk(await chain.run(keys.mfgAdmin, "namespace.grant", grant(keys.buyerAdmin.publicKey)));
    expect((await getNamespace(chain.state, "shipments"))?.memberGrants).toEqual([
      { publicKey: keys.buyerAdmin.publicKey, org: "buyer" },
    ]);
    expect((await chain.run(keys.mfgAdmin, "namespace.grant", grant(keys.buyerAdmin.publicKey))).code).toBe(
      LedgerErrorCode.GRANT_EXISTS,
    );
    expect((await chain.run(keys.mfgAdmin, "namespace.grant", grant(keys.outsider.publicKey))).code).toBe(
      LedgerErrorCode.UNKNOWN_MEMBER,
    );
    expectOk(await chain.run(keys.mfgAdmin, "namespace.revoke", grant(keys.buyerAdmin.publicKey)));
    expect((await chain.run(keys.mfgAdmin, "namespace.revoke", grant(keys.buyerAdmin.publicKey))).code).toBe(
      LedgerErrorCode.GRANT_NOT_FOUND,
    );
  });

  it("only admins of the owning organization manage grants", async () => {
    const chain = await withShipments();
    const grant = { namespace: "shipments", org: "carrier", member: null };
    expect((await chain.run(keys.carrierAdmin, "namespace.grant", grant)).code).toBe(LedgerErrorCode.PERMISSION_DENIED);
    expect((await chain.run(keys.mfgWriter, "namespace.grant", grant)).code).toBe(LedgerErrorCode.PERMISSION_DENIED);
    expect((await chain.run(keys.v0, "namespace.grant", grant)).code).toBe(LedgerErrorCode.NOT_MEMBER);
    expect((await chain.run(keys.mfgAdmin, "namespace.grant", { ...grant, namespace: "nope" })).code).toBe(
      LedgerErrorCode.UNKNOWN_NAMESPACE,
    );
    expect((await chain.run(keys.carrierAdmin, "namespace.revoke", grant)).code).toBe(
      LedgerErrorCode.PERMISSION_DENIED,
    );
  });

  it(`refuses more than ${MAX_ORG_GRANTS} organization grants`, async () => {
    const genesis = testGenesis();
    for (let i = 0; i <= MAX_ORG_GRANTS; i++) genesis.organizations.push({ id: `org-${i}`, name: "", members: [] });
    const chain = await TestChain.create(genesis);
    expectOk(await chain.run(keys.mfgAdmin, "namespace.create", { name: "shipments", description: "" }));
    const grants = [];
    for (let i = 0; i <= MAX_ORG_GRANTS; i++) {
      grants.push(
        chain.tx(keys.mfgAdmin, "namespace.grant", { namespace: "shipments", org: `org-${i}`, member: null }),
      );
    }
    const { receipts } = await chain.block(grants);
    expect(receipts.slice(0, MAX_ORG_GRANTS).every((r) => r.ok)).toBe(true);
    expect(receipts[MAX_ORG_GRANTS]?.code).toBe(LedgerErrorCode.TOO_MANY_GRANTS);
    expect((await getNamespace(chain.state, "shipments"))?.orgGrants).toHaveLength(MAX_ORG_GRANTS);
  });
});

describe("write access", () => {
  it("owner writers write; owner admins without the writer role do not", async () => {
    const chain = await withShipments();
    expectOk(await chain.run(keys.mfgWriter, "record.put", put("shipments")));
    expect((await chain.run(keys.mfgAdmin, "record.put", put("shipments"))).code).toBe(
      LedgerErrorCode.PERMISSION_DENIED,
    );
  });

  it("writers of a granted organization write until the grant is revoked", async () => {
    const chain = await withShipments();
    expect((await chain.run(keys.carrierWriter, "record.put", put("shipments"))).code).toBe(
      LedgerErrorCode.PERMISSION_DENIED,
    );
    expectOk(
      await chain.run(keys.mfgAdmin, "namespace.grant", { namespace: "shipments", org: "carrier", member: null }),
    );
    expectOk(await chain.run(keys.carrierWriter, "record.put", put("shipments")));
    expectOk(await chain.run(keys.carrierAdmin, "record.put", put("shipments")));
    expect((await chain.run(keys.customsWriter, "record.put", put("shipments"))).code).toBe(
      LedgerErrorCode.PERMISSION_DENIED,
    );
    expectOk(
      await chain.run(keys.mfgAdmin, "namespace.revoke", { namespace: "shipments", org: "carrier", member: null }),
    );
    expect((await chain.run(keys.carrierWriter, "record.put", put("shipments"))).code).toBe(
      LedgerErrorCode.PERMISSION_DENIED,
    );
  });

  it("a member granted individually writes whatever its roles, and only while in the same organization", async () => {
    const chain = await withShipments();
    const grant = { namespace: "shipments", org: null, member: keys.buyerAdmin.publicKey };
    expectOk(await chain.run(keys.mfgAdmin, "namespace.grant", grant));
    expectOk(await chain.run(keys.buyerAdmin, "record.put", put("shipments")));
    expect((await chain.run(keys.buyerWriter, "record.put", put("shipments"))).code).toBe(
      LedgerErrorCode.PERMISSION_DENIED,
    );
    // The buyer's admin leaves (a second admin removes it) and the carrier adds the same key: no inherited grant.
    const second = testKey("buyer-admin-2");
    expectOk(await chain.run(keys.buyerAdmin, "member.add", { publicKey: second.publicKey, roles: ["admin"] }));
    expectOk(await chain.run(second, "member.remove", { publicKey: keys.buyerAdmin.publicKey }));
    expect((await chain.run(keys.buyerAdmin, "record.put", put("shipments"))).code).toBe(LedgerErrorCode.NOT_MEMBER);
    expectOk(await chain.run(keys.carrierAdmin, "member.add", { publicKey: keys.buyerAdmin.publicKey, roles: [] }));
    expect((await chain.run(keys.buyerAdmin, "record.put", put("shipments"))).code).toBe(
      LedgerErrorCode.PERMISSION_DENIED,
    );
  });

  it("a writer whose writer role is taken away can no longer write", async () => {
    const chain = await withShipments();
    expectOk(await chain.run(keys.mfgAdmin, "member.set_roles", { publicKey: keys.mfgWriter.publicKey, roles: [] }));
    expect((await chain.run(keys.mfgWriter, "record.put", put("shipments"))).code).toBe(
      LedgerErrorCode.PERMISSION_DENIED,
    );
  });

  it("writing to a namespace that does not exist fails as unknown", async () => {
    const chain = await TestChain.create();
    expect((await chain.run(keys.mfgWriter, "record.put", put("nope"))).code).toBe(LedgerErrorCode.UNKNOWN_NAMESPACE);
    expect((await chain.run(keys.mfgWriter, "record.delete", { namespace: "nope", key: "k" })).code).toBe(
      LedgerErrorCode.UNKNOWN_NAMESPACE,
    );
  });
});
