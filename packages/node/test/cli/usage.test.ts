import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addressFromPublicKey, generateSecretKey, getPublicKey, saveKeyFile } from "@hansa/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TX_COMMANDS } from "../../src/cli/tx-kinds.js";
import { TX_KINDS } from "../../src/ledger/index.js";
import { assertBuilt, closedPort, json, runCli } from "./cli-process.js";

/** What the CLI does without a node: help, usage errors (exit 2), and an unreachable node (exit 1). */

const QUERY_COMMANDS = [
  "status",
  "block",
  "tx",
  "account",
  "record",
  "history",
  "validators",
  "mempool",
  "peers",
  "evidence",
];
const txCommands = TX_KINDS.map((kind) => TX_COMMANDS[kind].name);

let dir: string;
let keyFile: string;

beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), "hansa-cli-usage-"));
  keyFile = join(dir, "key.json");
  await saveKeyFile(keyFile, generateSecretKey());
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("help", () => {
  it("every transaction kind of the ledger has its own tx subcommand", async () => {
    expect(new Set(txCommands).size).toBe(TX_KINDS.length);
    const help = await runCli(["tx", "--help"]);
    expect(help.code).toBe(0);
    for (const kind of TX_KINDS) expect(help.stdout).toContain(`${TX_COMMANDS[kind].name} [options]`);
  });

  it("--help of every tx and query command exits 0 and shows an example of that command", async () => {
    const commands = [
      ...txCommands.map((c) => ["tx", c]),
      ...QUERY_COMMANDS.map((c) => ["query", c]),
      ["tx"],
      ["query"],
    ];
    const results = await Promise.all(commands.map((c) => runCli([...c, "--help"])));
    results.forEach((result, i) => {
      const command = (commands[i] as string[]).join(" ");
      expect(result.code, command).toBe(0);
      expect(result.stdout, command).toMatch(/\nExamples?:\n/);
      expect(result.stdout, command).toMatch(new RegExp(`  hansa ${command}[ \\n]`));
    });
  });
});

describe("usage errors exit 2 before anything is sent", () => {
  it("rejects unknown commands, missing and malformed values, and conflicting options", async () => {
    const cases: [string[], RegExp][] = [
      [["tx", "frobnicate"], /unknown command 'frobnicate'/],
      [["tx"], /Usage: hansa tx/],
      [["tx", "record-put", "--namespace", "ns", "--record-key", "k", "--key", keyFile], /exactly one of --value/],
      [
        [
          "tx",
          "record-put",
          "--namespace",
          "ns",
          "--record-key",
          "k",
          "--value",
          "a",
          "--value-hex",
          "0x01",
          "--key",
          keyFile,
        ],
        /exactly one of --value/,
      ],
      [["tx", "namespace-grant", "--namespace", "ns", "--key", keyFile], /exactly one of --org and --member/],
      [["tx", "member-add", "--public-key", "0x1234", "--key", keyFile], /32-byte public key/],
      [["tx", "member-add", "--public-key", join(dir, "missing.json"), "--key", keyFile], /key file/],
      [["tx", "member-add", "--public-key", keyFile, "--roles", "owner", "--key", keyFile], /unknown role "owner"/],
      [["tx", "validator-propose", "--op", "grow", "--public-key", keyFile, "--key", keyFile], /Allowed choices/],
      [["tx", "validator-vote", "--proposal", "one", "--key", keyFile], /whole number/],
      [["tx", "namespace-create", "--name", "ns"], /required option '--key <file>'/],
      [["query", "block", "yesterday"], /a height, latest, or a 0x block hash/],
      [["query", "tx", "0x1234"], /64 hex digits/],
      [["query", "history", "ns", "k", "--limit", "0"], /above 0/],
      [["query", "status", "--rpc", "not a url"], /expected a URL/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach((result, i) => {
      const [args, message] = cases[i] as [string[], RegExp];
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(message);
    });
  });

  it("a bad address is refused with a clear message", async () => {
    const good = addressFromPublicKey(getPublicKey(generateSecretKey()));
    // Change one character: the bech32m checksum no longer matches.
    const badChecksum = `${good.slice(0, -1)}${good.endsWith("q") ? "p" : "q"}`;
    const results = await Promise.all([
      runCli(["query", "account", badChecksum]),
      runCli(["query", "account", "hansa1xyz"]),
    ]);
    for (const result of results) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("expected a hansa1… address (with a valid checksum)");
    }
  });
});

describe("a node that is not reachable", () => {
  it("gives a clear message and exit 1, for queries and transactions, in text and JSON", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const [status, statusJson, put] = await Promise.all([
      runCli(["query", "status", "--rpc", url]),
      runCli(["query", "status", "--rpc", url, "--json"]),
      runCli([
        "tx",
        "record-put",
        "--namespace",
        "ns",
        "--record-key",
        "k",
        "--value",
        "v",
        "--key",
        keyFile,
        "--rpc",
        url,
      ]),
    ]);
    for (const result of [status, put]) {
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(`^error: cannot reach a Hansa node at ${url} \\(.+\\).* \\[RPC_TRANSPORT\\]\\n$`),
      );
    }
    expect(statusJson.code).toBe(1);
    expect(json(statusJson)).toEqual({
      error: { code: "RPC_TRANSPORT", message: expect.stringContaining("cannot reach"), data: { url } },
    });
  });

  it("takes the node's URL from HANSA_RPC", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await runCli(["query", "mempool"], { HANSA_RPC: url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot reach a Hansa node at ${url}`);
  });
});
