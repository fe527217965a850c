import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bytesTo0x, generateSecretKey, getPublicKey, loadKeyFile, saveKeyFile, utf8ToBytes } from "@hansa/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HansaClient } from "../../src/client/index.js";
import type {
  AccountJson,
  BlockJson,
  ChainStatusJson,
  MempoolStatusJson,
  PeerJson,
  StateHistoryJson,
  StateValueJson,
  TxCommittedJson,
  TxStatusJson,
  TxSubmitResult,
  ValidatorsJson,
} from "../../src/rpc/types.js";
import { assertBuilt, type CliResult, type DevNode, json, runCli, startNode } from "./cli-process.js";

/**
 * `hansa tx` and `hansa query` as a user runs them: one real dev node (`hansa init` + `hansa start`, one
 * validator that is also admin and writer of org "dev"), every CLI call its own process. The three flows
 * run in order because they all sign with the validator's key, one nonce after the other.
 */

let dir: string;
let node: DevNode;
let validatorKey: string;

beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), "hansa-cli-"));
  const home = join(dir, "node");
  ok(await runCli(["init", "--home", home, "--rpc-port", "0", "--p2p-port", "0"]));
  validatorKey = join(home, "keys", "validator.json");
  node = await startNode(home);
});

afterAll(async () => {
  await node?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function tx(command: string, args: string[], env?: Record<string, string>): Promise<CliResult> {
  return runCli(["tx", command, ...args, "--rpc", node.url], env);
}

function query(args: string[]): Promise<CliResult> {
  return runCli(["query", ...args, "--rpc", node.url]);
}

/** Exit 0 with nothing on stderr; on failure the CLI's own words are the assertion message. */
function ok(result: CliResult): CliResult {
  expect(result.stderr, result.stdout).toBe("");
  expect(result.code).toBe(0);
  return result;
}

function committed(result: CliResult): TxCommittedJson {
  const c = json<TxCommittedJson>(ok(result));
  expect(c.status).toBe("committed");
  expect(c.receipt, c.receipt.message).toMatchObject({ ok: true, code: "" });
  return c;
}

const hex = (text: string) => bytesTo0x(utf8ToBytes(text));

describe("hansa tx and hansa query against a dev node", () => {
  let firstTxHash = "";

  it("records: namespace-create, record-put (text, hex, file), record-delete; record and history read them back", async () => {
    const ns = committed(
      await tx("namespace-create", [
        "--name",
        "shipments",
        "--description",
        "Shipments",
        "--key",
        validatorKey,
        "--wait",
        "--json",
      ]),
    );
    expect(ns.tx.kind).toBe("namespace.create");
    firstTxHash = ns.hash;

    const record = ["--namespace", "shipments", "--record-key", "SHP-1", "--key", validatorKey, "--wait"];
    const text = ok(await tx("record-put", [...record, "--value", '{"status":"loaded"}']));
    expect(text.stdout).toMatch(/^committed 0x[0-9a-f]{64}\n/);
    expect(text.stdout).toMatch(/result:\s+ok/);
    expect(text.stdout).toContain("shipments/SHP-1 version 0");
    expect(text.stdout).toContain('"value":"{\\"status\\":\\"loaded\\"}"');

    expect(committed(await tx("record-put", [...record, "--value-hex", "0x00ff", "--json"])).tx.kind).toBe(
      "record.put",
    );
    const file = join(dir, "value.bin");
    await writeFile(file, new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
    expect(ok(await tx("record-put", [...record, "--value-file", file])).stdout).toContain("version 2");
    expect(ok(await tx("record-delete", record)).stdout).toContain("shipments/SHP-1 version 3 (deleted)");

    const [current, currentJson, all, page, olderText] = await Promise.all([
      query(["record", "shipments", "SHP-1"]),
      query(["record", "shipments", "SHP-1", "--json"]),
      query(["history", "shipments", "SHP-1", "--json"]),
      query(["history", "shipments", "SHP-1", "--limit", "2", "--json"]),
      query(["history", "shipments", "SHP-1", "--limit", "2", "--cursor", "1"]),
    ]);
    expect(ok(current).stdout).toMatch(/shipments\/SHP-1 \(deleted\)\n\s+versions:\s+4/);
    expect(json<StateValueJson>(ok(currentJson))).toMatchObject({ namespace: "shipments", key: "SHP-1", value: null });
    const history = json<StateHistoryJson>(ok(all));
    expect(history.versions.map((v) => v.value)).toEqual([null, "0xdeadbeef", "0x00ff", hex('{"status":"loaded"}')]);
    expect(history.nextCursor).toBeNull();
    expect(json<StateHistoryJson>(ok(page))).toMatchObject({ nextCursor: "1" });
    // Human output numbers the versions and shows printable values as text, others as hex.
    expect(ok(olderText).stdout).toContain("version 1: 0x00ff (2 bytes)\n");
    expect(olderText.stdout).toContain('version 0: {"status":"loaded"}\n');
    expect(olderText.stdout).toContain("(oldest version reached)");
  });

  it("members and grants: member-add, member-roles, namespace-grant/revoke, member-remove; a refusal exits 1 with its code", async () => {
    const bobFile = join(dir, "bob.json");
    const bob = generateSecretKey();
    await saveKeyFile(bobFile, bob);
    const bobHex = bytesTo0x(getPublicKey(bob));

    committed(
      await tx("member-add", ["--public-key", bobFile, "--roles", "writer", "--key", validatorKey, "--wait", "--json"]),
    );
    expect(json<AccountJson>(ok(await query(["account", bobFile, "--json"])))).toMatchObject({
      publicKey: bobHex,
      organization: "dev",
      roles: ["writer"],
    });
    committed(
      await tx("member-roles", ["--public-key", bobHex, "--roles", "", "--key", validatorKey, "--wait", "--json"]),
    );

    // Without the writer role and without a grant, Bob may not write: the node refuses at admission.
    const bobWrite = ["--namespace", "shipments", "--record-key", "SHP-2", "--value", "received", "--key", bobFile];
    const [denied, deniedJson] = await Promise.all([
      tx("record-put", bobWrite),
      tx("record-put", [...bobWrite, "--json"]),
    ]);
    expect(denied.code).toBe(1);
    expect(denied.stdout).toBe("");
    expect(denied.stderr).toMatch(/^error: .+ \[LEDGER_PERMISSION_DENIED\]\n$/);
    expect(deniedJson.code).toBe(1);
    expect(json(deniedJson)).toEqual({
      error: {
        code: "LEDGER_PERMISSION_DENIED",
        message: expect.any(String),
        data: expect.objectContaining({ code: "LEDGER_PERMISSION_DENIED", rpcCode: -32031 }),
      },
    });

    committed(
      await tx("namespace-grant", [
        "--namespace",
        "shipments",
        "--member",
        bobFile,
        "--key",
        validatorKey,
        "--wait",
        "--json",
      ]),
    );
    // Without --wait the command returns once the node admitted the transaction, with its hash and nonce.
    const submitted = json<TxSubmitResult & { nonce: number }>(ok(await tx("record-put", [...bobWrite, "--json"])));
    expect(submitted).toEqual({ hash: expect.stringMatching(/^0x[0-9a-f]{64}$/), nonce: 0 });
    committed(
      await tx("namespace-revoke", [
        "--namespace",
        "shipments",
        "--member",
        bobHex,
        "--key",
        validatorKey,
        "--wait",
        "--json",
      ]),
    );
    // Bob's write arrived before the revoke, so it committed first, in the same block or an earlier one.
    const bobTx = json<TxStatusJson>(ok(await query(["tx", submitted.hash, "--json"])));
    expect(bobTx).toMatchObject({ status: "committed", receipt: { ok: true } });

    committed(await tx("member-remove", ["--public-key", bobFile, "--key", validatorKey, "--wait", "--json"]));
    expect(json<AccountJson>(ok(await query(["account", bobHex, "--json"])))).toMatchObject({
      organization: null,
      roles: [],
    });
  });

  it("governance: validator-propose and validator-vote, one signer with an encrypted key", async () => {
    const v2File = join(dir, "validator-2.json");
    await saveKeyFile(v2File, generateSecretKey(), "v2-secret");

    // Power 1 beside 10 changes neither quorum nor fault tolerance, so the proposer's own vote passes it.
    const add = ok(
      await tx("validator-propose", [
        ...["--op", "add", "--name", "validator-2", "--public-key", v2File, "--power", "1"],
        ...["--key", validatorKey, "--wait"],
      ]),
    );
    const added = /proposal (\d+) passed, new validator set from height (\d+)/.exec(add.stdout);
    expect(added, add.stdout).not.toBeNull();
    const effective = Number(added?.[2]);
    expect(json<ValidatorsJson>(ok(await query(["validators", String(effective), "--json"])))).toMatchObject({
      totalPower: 11,
      validators: expect.arrayContaining([expect.objectContaining({ name: "validator-2", power: 1 })]),
    });

    // One more block, so validator-2 is in force at the next height and may propose.
    committed(await tx("namespace-create", ["--name", "governance-log", "--key", validatorKey, "--wait", "--json"]));
    const propose = ok(
      await tx(
        "validator-propose",
        ["--op", "remove", "--public-key", v2File, "--key", v2File, "--passphrase-env", "V2_PASS", "--wait"],
        { V2_PASS: "v2-secret" },
      ),
    );
    // Validator-2's vote is 1 of 11: the proposal waits for validator-1's.
    const pending = /proposal (\d+) pending/.exec(propose.stdout);
    expect(pending, propose.stdout).not.toBeNull();
    const vote = ok(await tx("validator-vote", ["--proposal", String(pending?.[1]), "--key", validatorKey, "--wait"]));
    const passed = new RegExp(`proposal ${pending?.[1]} passed, new validator set from height (\\d+)`).exec(
      vote.stdout,
    );
    expect(passed, vote.stdout).not.toBeNull();
    const set = json<ValidatorsJson>(ok(await query(["validators", String(passed?.[1]), "--json"])));
    expect(set.validators.map((v) => v.name)).toEqual(["validator-1"]);
  });

  it("a transaction that commits but fails prints its receipt and exits 1", async () => {
    const client = new HansaClient(node.url);
    const { publicKey } = await loadKeyFile(validatorKey);
    for (const [name, asJson] of [
      ["twice-a", false],
      ["twice-b", true],
    ] as const) {
      // The second create is sent first, one nonce ahead: the mempool holds it until the first arrives, both
      // pass admission (neither sees the other), and the block executes them in nonce order.
      const nonce = (await client.accountGet(publicKey)).pendingNonce;
      const args = ["--name", name, "--key", validatorKey];
      const ahead = ["--nonce", String(nonce + 1), "--wait", ...(asJson ? ["--json"] : [])];
      let settled = false;
      const second = tx("namespace-create", [...args, ...ahead]).finally(() => {
        settled = true;
      });
      while (!settled && (await client.mempoolStatus()).size === 0) await new Promise((r) => setTimeout(r, 50));
      if (settled) throw new Error(`the second create was not held in the mempool: ${(await second).stderr}`);
      ok(await tx("namespace-create", [...args, "--nonce", String(nonce)]));
      const failed = await second;
      expect(failed.code).toBe(1);
      if (asJson) {
        expect(json<TxCommittedJson>(failed)).toMatchObject({
          status: "committed",
          receipt: { ok: false, code: "LEDGER_NAMESPACE_EXISTS" },
        });
      } else {
        expect(failed.stdout).toMatch(/result:\s+FAILED LEDGER_NAMESPACE_EXISTS: /);
        expect(failed.stderr).toMatch(/^error: transaction failed: .+ \[LEDGER_NAMESPACE_EXISTS\]\n$/);
      }
    }
  });

  it("query status, block, tx, account, validators, mempool, peers and evidence: --json parses, text reads", async () => {
    const results = await Promise.all([
      query(["status", "--json"]),
      query(["block", "latest", "--json"]),
      query(["block", "1"]),
      query(["tx", firstTxHash, "--json"]),
      query(["tx", firstTxHash]),
      query(["account", validatorKey, "--json"]),
      query(["validators", "--json"]),
      query(["mempool", "--json"]),
      query(["peers", "--json"]),
      query(["status"]),
    ]);
    const [status, latest, first, txJson, txText, account, validators, mempool, peers, statusText] = results.map(ok);
    const s = json<ChainStatusJson>(status as CliResult);
    expect(s).toMatchObject({ chainId: "hansa-dev", isValidator: true, syncing: false });
    const block = json<BlockJson>(latest as CliResult);
    expect(block.header.height).toBeGreaterThanOrEqual(s.height);
    const byHash = json<BlockJson>(ok(await query(["block", block.hash, "--json"])));
    expect(byHash.hash).toBe(block.hash);
    expect(first?.stdout).toMatch(/^block 1 0x[0-9a-f]{64}\n/);
    expect(json<TxStatusJson>(txJson as CliResult)).toMatchObject({ status: "committed", hash: firstTxHash });
    expect(txText?.stdout).toContain(`committed ${firstTxHash}`);
    expect(txText?.stdout).toContain('payload: {"name":"shipments","description":"Shipments"}');
    expect(json<AccountJson>(account as CliResult)).toMatchObject({ organization: "dev", roles: ["admin", "writer"] });
    expect(json<ValidatorsJson>(validators as CliResult).validators.length).toBeGreaterThanOrEqual(1);
    expect(json<MempoolStatusJson>(mempool as CliResult)).toMatchObject({ maxSize: 20_000 });
    expect(json<PeerJson[]>(peers as CliResult)).toEqual([]);
    expect(statusText?.stdout).toMatch(/chain:\s+hansa-dev/);
    expect(json(ok(await query(["evidence", "--json"])))).toEqual({ evidence: [], next: null });
    expect(ok(await query(["evidence"])).stdout).toBe("no evidence on chain\n");
  });

  it("an RPC error prints its message and Hansa code and exits 1; --json puts it on stdout", async () => {
    const [missing, missingJson, badCursor] = await Promise.all([
      query(["block", "999999"]),
      query(["block", "999999", "--json"]),
      query(["history", "shipments", "SHP-1", "--cursor", "99", "--json"]),
    ]);
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toBe("error: block 999999 not found [NOT_FOUND]\n");
    expect(missingJson.code).toBe(1);
    expect(json(missingJson)).toEqual({
      error: {
        code: "NOT_FOUND",
        message: "block 999999 not found",
        data: expect.objectContaining({ code: "NOT_FOUND", rpcCode: -32001 }),
      },
    });
    expect(badCursor.code).toBe(1);
    expect(json(badCursor)).toMatchObject({ error: { code: "LEDGER_BAD_QUERY", data: { rpcCode: -32004 } } });
  });
});
