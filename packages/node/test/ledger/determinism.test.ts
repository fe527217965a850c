import { equalBytes, type Role, SMT_EMPTY_ROOT, SparseMerkleTree, sha256 } from "@hansa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BlockResult,
  type BlockTx,
  executeBlock,
  genesisState,
  isCommittedKey,
  MemoryState,
  type StateReader,
  TX_KINDS,
} from "../../src/ledger/index.js";
import { CHAIN_ID, GENESIS_TIME, keys, TestChain, type TestKey, testGenesis, testKey } from "./helpers.js";

const SIGNERS = Object.values(keys).filter((k) => k !== keys.outsider);
const WRITERS = [keys.mfgWriter, keys.carrierWriter, keys.customsWriter, keys.buyerWriter, keys.carrierAdmin];
const TARGETS = [...SIGNERS, testKey("new-0"), testKey("new-1"), testKey("new-2")];
const NAMESPACES = ["shipments", "sensor-readings", "letters-of-credit"];
const ORGS = ["mfg", "carrier", "customs", "buyer", "nowhere"];
const RECORD_KEYS = ["SHP-1", "SHP-2", "LC-9"];

const pick = <T>(items: readonly T[]) => fc.nat({ max: items.length - 1 }).map((i) => items[i] as T);
const roles = fc.subarray(["admin", "writer"] as Role[]);

/** One random operation, as (signer, kind, body); most fail for lack of rights, which is fine to test too. */
const put = (signers: readonly TestKey[]) =>
  fc
    .record({ s: pick(signers), ns: pick(NAMESPACES), key: pick(RECORD_KEYS), value: fc.uint8Array({ maxLength: 40 }) })
    .map((o) => ({ signer: o.s, kind: "record.put" as const, body: { namespace: o.ns, key: o.key, value: o.value } }));
const operation = fc.oneof(
  // Writers' puts are weighted up: they are the common case and build long histories.
  { arbitrary: put(WRITERS), weight: 4 },
  put(SIGNERS),
  fc.record({ s: pick(SIGNERS), ns: pick(NAMESPACES), key: pick(RECORD_KEYS) }).map((o) => ({
    signer: o.s,
    kind: "record.delete" as const,
    body: { namespace: o.ns, key: o.key },
  })),
  fc.record({ s: pick(SIGNERS), ns: pick(NAMESPACES) }).map((o) => ({
    signer: o.s,
    kind: "namespace.create" as const,
    body: { name: o.ns, description: "" },
  })),
  fc
    .record({
      s: pick(SIGNERS),
      ns: pick(NAMESPACES),
      org: pick(ORGS),
      member: pick(TARGETS),
      byOrg: fc.boolean(),
      revoke: fc.boolean(),
    })
    .map((o) => ({
      signer: o.s,
      kind: o.revoke ? ("namespace.revoke" as const) : ("namespace.grant" as const),
      body: { namespace: o.ns, org: o.byOrg ? o.org : null, member: o.byOrg ? null : o.member.publicKey },
    })),
  fc
    .record({
      s: pick(SIGNERS),
      t: pick(TARGETS),
      roles,
      op: fc.constantFrom("member.add", "member.remove", "member.set_roles"),
    })
    .map((o) =>
      o.op === "member.remove"
        ? { signer: o.s, kind: "member.remove" as const, body: { publicKey: o.t.publicKey } }
        : { signer: o.s, kind: o.op as "member.add", body: { publicKey: o.t.publicKey, roles: o.roles } },
    ),
  fc
    .record({
      s: pick(SIGNERS),
      t: pick(TARGETS),
      power: fc.integer({ min: 1, max: 30 }),
      force: fc.boolean(),
      op: fc.constantFrom("add", "remove", "set_power"),
    })
    .map((o) => ({
      signer: o.s,
      kind: "governance.propose" as const,
      body:
        o.op === "add"
          ? { op: "add" as const, name: o.t.name, publicKey: o.t.publicKey, power: o.power, force: o.force }
          : o.op === "remove"
            ? { op: "remove" as const, name: "", publicKey: o.t.publicKey, power: 0, force: o.force }
            : { op: "set_power" as const, name: "", publicKey: o.t.publicKey, power: o.power, force: o.force },
    })),
  fc.record({ s: pick(SIGNERS), id: fc.integer({ min: 1, max: 4 }) }).map((o) => ({
    signer: o.s,
    kind: "governance.vote" as const,
    body: { proposalId: o.id },
  })),
);

const blocks = fc.array(fc.array(operation, { maxLength: 8 }), { minLength: 1, maxLength: 5 });

/** Executes blocks on a fresh store, applying each batch in the given key order. */
async function replay(txBlocks: BlockTx[][], reverseBatches: boolean) {
  const state = new MemoryState();
  const genesis = await genesisState(testGenesis());
  state.apply(reverseBatches ? [...genesis.writes].reverse() : genesis.writes);
  let prevStateRoot = genesis.stateRoot;
  const results: BlockResult[] = [];
  for (const [i, txs] of txBlocks.entries()) {
    const input = { chainId: CHAIN_ID, height: i + 1, time: GENESIS_TIME + (i + 1) * 1000, prevStateRoot, txs };
    const result = await executeBlock(input, state);
    state.apply(reverseBatches ? [...result.writes].reverse() : result.writes);
    results.push(result);
    prevStateRoot = result.stateRoot;
  }
  return { state, results };
}

/** The root of a fresh tree over the committed entries alone: what the state root must equal. */
async function rootFromScratch(state: MemoryState): Promise<Uint8Array> {
  const empty: StateReader = { get: () => undefined };
  const changes = state
    .dump()
    .filter((e) => isCommittedKey(e.key))
    .map((e) => ({ key: sha256(e.key), valueHash: sha256(e.value as Uint8Array) }));
  return (await new SparseMerkleTree(empty).update(SMT_EMPTY_ROOT, changes)).root;
}

describe("determinism", () => {
  it("property: the same random blocks on two separate stores reach the same roots, receipts and state", async () => {
    const kindsSeen = new Set<string>();
    let succeeded = 0;
    await fc.assert(
      fc.asyncProperty(blocks, async (ops) => {
        // Nonces are assigned in order, so every block is valid and every transaction runs.
        const builder = await TestChain.create();
        // A fixed first block opens the namespaces to every organization, so many random writes succeed.
        const setup: BlockTx[] = [];
        for (const name of NAMESPACES.slice(0, 2)) {
          setup.push(builder.tx(keys.mfgAdmin, "namespace.create", { name, description: "" }));
          for (const org of ORGS.slice(1, 4)) {
            setup.push(builder.tx(keys.mfgAdmin, "namespace.grant", { namespace: name, org, member: null }));
          }
        }
        const txBlocks = [setup];
        txBlocks.push(
          ...ops.map((b) =>
            b.map((o) => {
              kindsSeen.add(o.kind);
              return builder.tx(o.signer, o.kind, o.body as never);
            }),
          ),
        );
        const a = await replay(txBlocks, false);
        const b = await replay(txBlocks, true);
        for (const [i, ra] of a.results.entries()) {
          const rb = b.results[i] as BlockResult;
          expect(rb.stateRoot).toEqual(ra.stateRoot);
          expect(rb.receiptsRoot).toEqual(ra.receiptsRoot);
          expect(rb.receipts).toEqual(ra.receipts);
          expect(rb.validatorUpdate).toEqual(ra.validatorUpdate);
        }
        expect(b.state.dump()).toEqual(a.state.dump());
        // The root depends on the committed content only, not on the path that led there.
        for (const r of a.results.slice(1)) succeeded += r.receipts.filter((x) => x.ok).length;
        const last = a.results.at(-1) as BlockResult;
        expect(equalBytes(await rootFromScratch(a.state), last.stateRoot)).toBe(true);
      }),
      { numRuns: 30, seed: 20240601 },
    );
    expect([...kindsSeen].sort()).toEqual([...TX_KINDS].sort());
    // Random senders mostly lack the rights they need; enough succeed to exercise every state change.
    expect(succeeded).toBeGreaterThan(100);
  });

  it("the root depends on the committed content only: a grant and its revoke equal two failed transactions", async () => {
    const undone = await TestChain.create();
    const failed = await TestChain.create();
    for (const chain of [undone, failed]) {
      await chain.block([chain.tx(keys.mfgAdmin, "namespace.create", { name: "shipments", description: "" })]);
    }
    const grant = { namespace: "shipments", org: "carrier", member: null };
    const r1 = await undone.block([
      undone.tx(keys.mfgAdmin, "namespace.grant", grant),
      undone.tx(keys.mfgAdmin, "namespace.revoke", grant),
    ]);
    const r2 = await failed.block([
      failed.tx(keys.mfgAdmin, "namespace.revoke", grant),
      failed.tx(keys.mfgAdmin, "namespace.revoke", grant),
    ]);
    expect(r1.receipts.every((r) => r.ok)).toBe(true);
    expect(r2.receipts.some((r) => r.ok)).toBe(false);
    expect(r1.stateRoot).toEqual(r2.stateRoot);
    expect(r1.receiptsRoot).not.toEqual(r2.receiptsRoot);
  });
});
