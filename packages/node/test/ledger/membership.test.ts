import { describe, expect, it } from "vitest";
import { getAccount, getOrganization, LedgerErrorCode } from "../../src/ledger/index.js";
import { expectOk, keys, TestChain, testKey } from "./helpers.js";

describe("membership", () => {
  it("genesis members have accounts, organizations and roles", async () => {
    const chain = await TestChain.create();
    const account = await getAccount(chain.state, keys.carrierAdmin.publicKey);
    expect(account).toMatchObject({ nonce: 0, organization: "carrier", roles: ["admin", "writer"], validatorPower: 0 });
    expect(await getOrganization(chain.state, "mfg")).toEqual({ id: "mfg", name: "Manufacturer", admins: 1 });
    expect(await getAccount(chain.state, keys.v0.publicKey)).toMatchObject({ organization: null, validatorPower: 10 });
    expect(await getAccount(chain.state, keys.outsider.publicKey)).toBeUndefined();
  });

  it("an admin adds a member to its own organization, with roles in canonical order", async () => {
    const chain = await TestChain.create();
    const alice = testKey("alice");
    expectOk(await chain.run(keys.mfgAdmin, "member.add", { publicKey: alice.publicKey, roles: ["writer", "admin"] }));
    expect(await getAccount(chain.state, alice.publicKey)).toMatchObject({
      nonce: 0,
      organization: "mfg",
      roles: ["admin", "writer"],
    });
    expect((await getOrganization(chain.state, "mfg"))?.admins).toBe(2);
    // The new member can act at once.
    expectOk(await chain.run(alice, "namespace.create", { name: "alice-ns", description: "" }));
  });

  it("refuses member changes from non-admins, outsiders and admins of other organizations", async () => {
    const chain = await TestChain.create();
    const bob = testKey("bob");
    const add = { publicKey: bob.publicKey, roles: ["writer" as const] };
    expect((await chain.run(keys.mfgWriter, "member.add", add)).code).toBe(LedgerErrorCode.PERMISSION_DENIED);
    expect((await chain.run(keys.v0, "member.add", add)).code).toBe(LedgerErrorCode.NOT_MEMBER);
    expect((await chain.run(keys.carrierAdmin, "member.remove", { publicKey: keys.mfgWriter.publicKey })).code).toBe(
      LedgerErrorCode.PERMISSION_DENIED,
    );
    expect(
      (await chain.run(keys.carrierAdmin, "member.set_roles", { publicKey: keys.mfgWriter.publicKey, roles: [] })).code,
    ).toBe(LedgerErrorCode.PERMISSION_DENIED);
    expect((await chain.run(keys.mfgWriter, "member.remove", { publicKey: keys.mfgAdmin.publicKey })).code).toBe(
      LedgerErrorCode.PERMISSION_DENIED,
    );
  });

  it("refuses to add a key that is already a member anywhere", async () => {
    const chain = await TestChain.create();
    const r = await chain.run(keys.mfgAdmin, "member.add", { publicKey: keys.buyerWriter.publicKey, roles: [] });
    expect(r.code).toBe(LedgerErrorCode.MEMBER_EXISTS);
    expect(r.message).toContain("buyer");
  });

  it("removes a member; the account and nonce remain, membership does not", async () => {
    const chain = await TestChain.create();
    // A failed transaction still consumes its nonce.
    const denied = await chain.run(keys.mfgWriter, "namespace.create", { name: "x", description: "" });
    expect(denied.code).toBe(LedgerErrorCode.PERMISSION_DENIED);
    expectOk(await chain.run(keys.mfgAdmin, "member.remove", { publicKey: keys.mfgWriter.publicKey }));
    expect(await getAccount(chain.state, keys.mfgWriter.publicKey)).toMatchObject({
      nonce: 1,
      organization: null,
      roles: [],
    });
    const again = await chain.run(keys.mfgWriter, "namespace.create", { name: "y", description: "" });
    expect(again.code).toBe(LedgerErrorCode.NOT_MEMBER);
    expect((await chain.run(keys.mfgAdmin, "member.remove", { publicKey: keys.mfgWriter.publicKey })).code).toBe(
      LedgerErrorCode.UNKNOWN_MEMBER,
    );
    expect(
      (await chain.run(keys.mfgAdmin, "member.set_roles", { publicKey: keys.mfgWriter.publicKey, roles: [] })).code,
    ).toBe(LedgerErrorCode.UNKNOWN_MEMBER);
  });

  it("a re-added key keeps its nonce, so its old transactions cannot replay", async () => {
    const chain = await TestChain.create();
    expectOk(await chain.run(keys.mfgAdmin, "member.remove", { publicKey: keys.mfgWriter.publicKey }));
    expectOk(
      await chain.run(keys.carrierAdmin, "member.add", { publicKey: keys.mfgWriter.publicKey, roles: ["writer"] }),
    );
    expect(await getAccount(chain.state, keys.mfgWriter.publicKey)).toMatchObject({
      nonce: 0,
      organization: "carrier",
    });
  });

  it("never removes or demotes the last admin of an organization", async () => {
    const chain = await TestChain.create();
    const self = { publicKey: keys.mfgAdmin.publicKey };
    expect((await chain.run(keys.mfgAdmin, "member.remove", self)).code).toBe(LedgerErrorCode.LAST_ADMIN);
    expect((await chain.run(keys.mfgAdmin, "member.set_roles", { ...self, roles: ["writer"] })).code).toBe(
      LedgerErrorCode.LAST_ADMIN,
    );
    // With a second admin, the first may step down.
    expectOk(
      await chain.run(keys.mfgAdmin, "member.set_roles", { publicKey: keys.mfgWriter.publicKey, roles: ["admin"] }),
    );
    expect((await getOrganization(chain.state, "mfg"))?.admins).toBe(2);
    expectOk(await chain.run(keys.mfgAdmin, "member.set_roles", { ...self, roles: ["writer"] }));
    expect((await getOrganization(chain.state, "mfg"))?.admins).toBe(1);
    expect((await chain.run(keys.mfgAdmin, "member.add", { publicKey: testKey("z").publicKey, roles: [] })).code).toBe(
      LedgerErrorCode.PERMISSION_DENIED,
    );
    expect((await chain.run(keys.mfgWriter, "member.remove", self)).ok).toBe(true);
    expect((await chain.run(keys.mfgWriter, "member.remove", { publicKey: keys.mfgWriter.publicKey })).code).toBe(
      LedgerErrorCode.LAST_ADMIN,
    );
  });

  it("set_roles changes roles and the admin count both ways", async () => {
    const chain = await TestChain.create();
    const w = { publicKey: keys.carrierWriter.publicKey };
    expectOk(await chain.run(keys.carrierAdmin, "member.set_roles", { ...w, roles: ["admin", "writer"] }));
    expect((await getOrganization(chain.state, "carrier"))?.admins).toBe(2);
    expectOk(await chain.run(keys.carrierAdmin, "member.set_roles", { ...w, roles: [] }));
    expect((await getOrganization(chain.state, "carrier"))?.admins).toBe(1);
    expect((await getAccount(chain.state, w.publicKey))?.roles).toEqual([]);
    expectOk(await chain.run(keys.carrierAdmin, "member.remove", w));
  });
});
