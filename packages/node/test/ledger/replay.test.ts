import { encode, signTransaction } from "@hansa/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildPayload,
  checkTransaction,
  getAccount,
  LedgerError,
  LedgerErrorCode,
  MAX_RECORD_VALUE_BYTES,
  nextNonce,
  PayloadCodecs,
} from "../../src/ledger/index.js";
import { blockTx, CHAIN_ID, expectOk, keys, signed, TestChain, testKey, text } from "./helpers.js";

const createNs = (name: string) => buildPayload("namespace.create", { name, description: "" }).payload;

async function expectBlockInvalid(chain: TestChain, txs: ReturnType<typeof blockTx>[], txIndex: number, cause: string) {
  const before = chain.stateRoot;
  await expect(chain.block(txs)).rejects.toSatisfy((err: unknown) => {
    expect(err).toBeInstanceOf(LedgerError);
    expect((err as LedgerError).type).toEqual({ code: LedgerErrorCode.BLOCK_INVALID, txIndex, cause });
    return true;
  });
  expect(chain.stateRoot).toEqual(before);
}

describe("faults that invalidate a block", () => {
  it("a stale nonce, a nonce gap, a wrong chain, a bad signature and an unknown sender", async () => {
    const chain = await TestChain.create();
    const ok = chain.tx(keys.mfgAdmin, "namespace.create", { name: "a", description: "" });
    await chain.block([ok]);
    const replay = ok;
    await expectBlockInvalid(chain, [replay], 0, LedgerErrorCode.NONCE_STALE);
    const gap = blockTx(signed(keys.mfgAdmin, 2, "namespace.create", createNs("b")));
    await expectBlockInvalid(chain, [gap], 0, LedgerErrorCode.NONCE_GAP);
    const good = blockTx(signed(keys.carrierAdmin, 0, "namespace.create", createNs("c")));
    const otherChain = blockTx(signed(keys.mfgAdmin, 1, "namespace.create", createNs("b"), "other-chain"));
    await expectBlockInvalid(chain, [good, otherChain], 1, LedgerErrorCode.WRONG_CHAIN);
    const forged = {
      ...signed(keys.mfgAdmin, 1, "namespace.create", createNs("b")),
      sender: keys.carrierAdmin.publicKey,
    };
    await expectBlockInvalid(chain, [blockTx(forged, false)], 0, LedgerErrorCode.BAD_SIGNATURE);
    const stranger = blockTx(signed(keys.outsider, 0, "namespace.create", createNs("b")));
    await expectBlockInvalid(chain, [stranger], 0, LedgerErrorCode.UNKNOWN_ACCOUNT);
    const malformed = { ...signed(keys.mfgAdmin, 1, "namespace.create", createNs("b")), sender: new Uint8Array(31) };
    const malformedItem = { tx: malformed, hash: new Uint8Array(32), signatureVerified: true };
    await expectBlockInvalid(chain, [malformedItem], 0, LedgerErrorCode.BAD_ENVELOPE);
    // The same transaction twice in one block: the second copy's nonce is stale.
    const once = blockTx(signed(keys.mfgAdmin, 1, "namespace.create", createNs("b")));
    await expectBlockInvalid(chain, [once, once], 1, LedgerErrorCode.NONCE_STALE);
    // None of these changed anything; the honest block still applies.
    expectOk((await chain.block([once])).receipts[0]!);
  });

  it("a signature the node did not verify is verified by the ledger", async () => {
    const chain = await TestChain.create();
    const { receipts } = await chain.block([
      blockTx(signed(keys.mfgAdmin, 0, "namespace.create", createNs("a")), false),
    ]);
    expectOk(receipts[0]!);
  });

  it("blocks must continue the state: chain, height, previous root and time", async () => {
    const chain = await TestChain.create();
    const { executeBlock } = await import("../../src/ledger/index.js");
    const base = { chainId: CHAIN_ID, height: 1, time: chain.time + 1, prevStateRoot: chain.stateRoot, txs: [] };
    await expect(executeBlock(base, chain.state)).resolves.toBeDefined();
    for (const [bad, cause] of [
      [{ chainId: "other" }, LedgerErrorCode.WRONG_CHAIN],
      [{ height: 2 }, LedgerErrorCode.BLOCK_INVALID],
      [{ prevStateRoot: new Uint8Array(32).fill(1) }, LedgerErrorCode.BLOCK_INVALID],
      [{ time: chain.time - 1 }, LedgerErrorCode.BLOCK_INVALID],
    ] as const) {
      await expect(executeBlock({ ...base, ...bad }, chain.state)).rejects.toMatchObject({
        type: { code: LedgerErrorCode.BLOCK_INVALID, txIndex: -1, cause },
      });
    }
  });
});

describe("faults that fail only the transaction, consuming its nonce", () => {
  it("unknown kinds, undecodable payloads and oversize values get receipts", async () => {
    const chain = await TestChain.create();
    const k = keys.mfgAdmin;
    const big = encode(PayloadCodecs["record.put"], {
      namespace: "a",
      key: "k",
      value: new Uint8Array(MAX_RECORD_VALUE_BYTES + 1),
    });
    const { receipts } = await chain.block([
      blockTx(signed(k, 0, "record.upsert", new Uint8Array([0x80]))),
      blockTx(signed(k, 1, "record.put", new Uint8Array([0x80]))),
      blockTx(signed(k, 2, "record.put", big)),
      blockTx(signed(k, 3, "namespace.create", createNs("a"))),
    ]);
    expect(receipts.map((r) => r.code)).toEqual([
      LedgerErrorCode.UNKNOWN_KIND,
      LedgerErrorCode.BAD_PAYLOAD,
      LedgerErrorCode.VALUE_TOO_LARGE,
      "",
    ]);
    expect((await getAccount(chain.state, k.publicKey))?.nonce).toBe(4);
  });
});

describe("checkTransaction (mempool admission)", () => {
  async function codeOf(promise: Promise<void>): Promise<string> {
    try {
      await promise;
      return "ok";
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err;
      return err.code;
    }
  }

  it("returns a distinct code for every fault", async () => {
    const chain = await TestChain.create();
    await chain.block([chain.tx(keys.mfgAdmin, "namespace.create", { name: "shipments", description: "" })]);
    const s = chain.state;
    const put = (value = text("v")) => buildPayload("record.put", { namespace: "shipments", key: "k", value }).payload;
    const check = (tx: ReturnType<typeof signed>, opts = {}) => codeOf(checkTransaction(tx, s, opts));

    expect(await check(signed(keys.mfgWriter, 0, "record.put", put()))).toBe("ok");
    expect(await check(signed(keys.mfgWriter, 0, "record.put", put(), "other"))).toBe(LedgerErrorCode.WRONG_CHAIN);
    const forged = { ...signed(keys.mfgWriter, 0, "record.put", put()), nonce: 5 };
    expect(await check(forged)).toBe(LedgerErrorCode.BAD_SIGNATURE);
    expect(await check(forged, { signatureVerified: true, expectedNonce: 5 })).toBe("ok");
    expect(await check(signed(keys.mfgAdmin, 0, "record.put", put()))).toBe(LedgerErrorCode.NONCE_STALE);
    expect(await check(signed(keys.mfgWriter, 1, "record.put", put()))).toBe(LedgerErrorCode.NONCE_GAP);
    expect(await check(signed(keys.mfgWriter, 1, "record.put", put()), { expectedNonce: 1 })).toBe("ok");
    // Past a gap the mempool tracks itself: not refused here.
    expect(await check(signed(keys.mfgWriter, 3, "record.put", put()), { expectedNonce: 1 })).toBe("ok");
    expect(await check(signed(keys.mfgWriter, 0, "record.put", put()), { expectedNonce: 1 })).toBe(
      LedgerErrorCode.NONCE_STALE,
    );
    expect(await check(signed(keys.outsider, 0, "record.put", put()))).toBe(LedgerErrorCode.UNKNOWN_ACCOUNT);
    expect(await check(signed(keys.v0, 0, "record.put", put()))).toBe(LedgerErrorCode.NOT_MEMBER);
    expect(await check(signed(keys.carrierWriter, 0, "record.put", put()))).toBe(LedgerErrorCode.PERMISSION_DENIED);
    expect(await check(signed(keys.mfgWriter, 0, "record.putt", put()))).toBe(LedgerErrorCode.UNKNOWN_KIND);
    expect(await check(signed(keys.mfgWriter, 0, "record.put", new Uint8Array([1])))).toBe(LedgerErrorCode.BAD_PAYLOAD);
    const big = encode(PayloadCodecs["record.put"], {
      namespace: "shipments",
      key: "k",
      value: new Uint8Array(MAX_RECORD_VALUE_BYTES + 1),
    });
    expect(await check(signed(keys.mfgWriter, 0, "record.put", big))).toBe(LedgerErrorCode.VALUE_TOO_LARGE);
    const bigNs = buildPayload("record.put", { namespace: "nope", key: "k", value: text("v") }).payload;
    expect(await check(signed(keys.mfgWriter, 0, "record.put", bigNs))).toBe(LedgerErrorCode.UNKNOWN_NAMESPACE);
    // The dry run discards its writes.
    expect((await getAccount(s, keys.mfgWriter.publicKey))?.nonce).toBe(0);

    // Without the dry run, what a block refuses outright is still refused; payload faults are left to the block.
    const noDryRun = { dryRun: false };
    expect(await check(signed(keys.outsider, 0, "record.put", put()), noDryRun)).toBe(LedgerErrorCode.UNKNOWN_ACCOUNT);
    expect(await check(signed(keys.mfgWriter, 0, "record.put", put(), "other"), noDryRun)).toBe(
      LedgerErrorCode.WRONG_CHAIN,
    );
    expect(await check(forged, noDryRun)).toBe(LedgerErrorCode.BAD_SIGNATURE);
    expect(await check(signed(keys.mfgAdmin, 0, "record.put", put()), noDryRun)).toBe(LedgerErrorCode.NONCE_STALE);
    expect(await check(signed(keys.mfgWriter, 1, "record.put", put()), noDryRun)).toBe(LedgerErrorCode.NONCE_GAP);
    expect(await check(signed(keys.carrierWriter, 0, "record.put", put()), noDryRun)).toBe("ok");
    expect(await check(signed(keys.mfgWriter, 0, "record.put", bigNs), noDryRun)).toBe("ok");
  });

  it("property: admission accepts exactly the next nonce, and a committed transaction never executes again", async () => {
    const chain = await TestChain.create();
    const signer = testKey("mfg-admin");
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 3 }), async (nonce, pending) => {
        const next = chain.nextNonce(signer);
        const tx = signTransaction(
          { chainId: CHAIN_ID, nonce, kind: "namespace.create", payload: createNs(`ns-${nonce}-${next}`) },
          signer.secretKey,
        );
        const expectedNonce = next + pending;
        const withPending = await codeOf(checkTransaction(tx, chain.state, { expectedNonce, signatureVerified: true }));
        expect(withPending).toBe(nonce < expectedNonce ? LedgerErrorCode.NONCE_STALE : "ok");
        const alone = await codeOf(checkTransaction(tx, chain.state, { signatureVerified: true }));
        expect(alone).toBe(
          nonce < next ? LedgerErrorCode.NONCE_STALE : nonce > next ? LedgerErrorCode.NONCE_GAP : "ok",
        );
        expect(await nextNonce(chain.state, signer.publicKey)).toBe(next);
        // Executing it in a block succeeds iff it carries the committed next nonce; afterwards it is stale forever.
        if (nonce === next) {
          await chain.block([chain.tx(signer, "namespace.create", { name: `ns-${nonce}-${next}`, description: "" })]);
          expect(await codeOf(checkTransaction(tx, chain.state, { signatureVerified: true }))).toBe(
            LedgerErrorCode.NONCE_STALE,
          );
          await expect(chain.block([blockTx(tx)])).rejects.toMatchObject({
            type: { code: LedgerErrorCode.BLOCK_INVALID, cause: LedgerErrorCode.NONCE_STALE },
          });
        } else {
          await expect(chain.block([blockTx(tx)])).rejects.toMatchObject({
            type: { cause: nonce < next ? LedgerErrorCode.NONCE_STALE : LedgerErrorCode.NONCE_GAP },
          });
        }
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});
