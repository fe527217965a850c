import { readFileSync } from "node:fs";
import { utf8ToBytes } from "@hansa/core";
import { type Command, Option } from "commander";
import type { PayloadOf, TxKind } from "../ledger/index.js";
import { VALIDATOR_OPS } from "../ledger/schema.js";
import { parseHex, parseOrgId, parsePublicKey, parseRoles, parseUint } from "./args.js";

/**
 * One `hansa tx` subcommand per transaction kind of the ledger. The map is keyed by `TxKind`, so a kind added
 * to the ledger does not compile until it has a command here.
 */
export interface TxCommandSpec<K extends TxKind> {
  name: string;
  summary: string;
  /** Shown under `--help`; the signing options (`--key`, `--rpc`) are added by the caller. */
  examples: string[];
  options: (command: Command) => void;
  /** Builds the payload body from the parsed options; `usage` reports a command-line mistake (exit 2). */
  body: (opts: Record<string, unknown>, usage: (message: string) => never) => PayloadOf<K>;
}

type Grantee = { org: string | null; member: Uint8Array | null };

function grantee(opts: Record<string, unknown>, usage: (message: string) => never): Grantee {
  const org = (opts.org as string | undefined) ?? null;
  const member = (opts.member as Uint8Array | undefined) ?? null;
  if ((org === null) === (member === null)) usage("give exactly one of --org and --member");
  return { org, member };
}

function granteeOptions(command: Command): void {
  command
    .requiredOption("--namespace <name>", "the namespace")
    .addOption(new Option("--org <id>", "an organization: its writers").argParser(parseOrgId).conflicts("member"))
    .addOption(new Option("--member <key>", "one member: public key (0x…) or key file").argParser(parsePublicKey));
}

function recordOptions(command: Command): void {
  command
    .requiredOption("--namespace <name>", "the namespace")
    .requiredOption("--record-key <key>", "the record's key (UTF-8 text, 1 to 256 bytes)");
}

function recordValue(opts: Record<string, unknown>, usage: (message: string) => never): Uint8Array {
  const given = [opts.value, opts.valueHex, opts.valueFile].filter((v) => v !== undefined);
  if (given.length !== 1) usage("give exactly one of --value, --value-hex and --value-file");
  if (opts.value !== undefined) return utf8ToBytes(opts.value as string);
  if (opts.valueHex !== undefined) return opts.valueHex as Uint8Array;
  return new Uint8Array(readFileSync(opts.valueFile as string));
}

const publicKeyOption = (what: string) =>
  new Option("--public-key <key>", `${what}: public key (0x…) or a key file to take it from`)
    .argParser(parsePublicKey)
    .makeOptionMandatory();

export const TX_COMMANDS: { [K in TxKind]: TxCommandSpec<K> } = {
  "member.add": {
    name: "member-add",
    summary: "add a key to the sender's organization (sender: an admin)",
    examples: ["hansa tx member-add --public-key 0x3b6a…c1 --roles writer --key admin.json --wait"],
    options: (c) => {
      c.addOption(publicKeyOption("the new member")).option(
        "--roles <roles>",
        "comma-separated roles: admin, writer (none by default)",
        parseRoles,
        [],
      );
    },
    body: (o) => ({ publicKey: o.publicKey as Uint8Array, roles: o.roles as PayloadOf<"member.add">["roles"] }),
  },
  "member.remove": {
    name: "member-remove",
    summary: "remove a member from its organization (sender: an admin of it)",
    examples: ["hansa tx member-remove --public-key bob.json --key admin.json --wait"],
    options: (c) => {
      c.addOption(publicKeyOption("the member"));
    },
    body: (o) => ({ publicKey: o.publicKey as Uint8Array }),
  },
  "member.set_roles": {
    name: "member-roles",
    summary: "replace a member's roles (sender: an admin of its organization)",
    examples: [
      "hansa tx member-roles --public-key bob.json --roles admin,writer --key admin.json --wait",
      "hansa tx member-roles --public-key bob.json --roles '' --key admin.json   # no roles",
    ],
    options: (c) => {
      c.addOption(publicKeyOption("the member")).requiredOption(
        "--roles <roles>",
        "comma-separated roles: admin, writer ('' for none)",
        parseRoles,
      );
    },
    body: (o) => ({ publicKey: o.publicKey as Uint8Array, roles: o.roles as PayloadOf<"member.set_roles">["roles"] }),
  },
  "namespace.create": {
    name: "namespace-create",
    summary: "create a namespace owned by the sender's organization (sender: an admin)",
    examples: ['hansa tx namespace-create --name shipments --description "Shipment status" --key admin.json --wait'],
    options: (c) => {
      c.requiredOption("--name <name>", "namespace name: lowercase letters, digits, . _ -, up to 64").option(
        "--description <text>",
        "what the namespace holds",
        "",
      );
    },
    body: (o) => ({ name: o.name as string, description: o.description as string }),
  },
  "namespace.grant": {
    name: "namespace-grant",
    summary: "let an organization's writers, or one member, write to a namespace (sender: an owner admin)",
    examples: [
      "hansa tx namespace-grant --namespace shipments --org carrier --key admin.json --wait",
      "hansa tx namespace-grant --namespace shipments --member bo.json --key admin.json --wait",
    ],
    options: granteeOptions,
    body: (o, usage) => ({ namespace: o.namespace as string, ...grantee(o, usage) }),
  },
  "namespace.revoke": {
    name: "namespace-revoke",
    summary: "take back a grant made with namespace-grant (sender: an owner admin)",
    examples: ["hansa tx namespace-revoke --namespace shipments --org carrier --key admin.json --wait"],
    options: granteeOptions,
    body: (o, usage) => ({ namespace: o.namespace as string, ...grantee(o, usage) }),
  },
  "record.put": {
    name: "record-put",
    summary: "write a new version of a record (sender: a member with write access)",
    examples: [
      `hansa tx record-put --namespace shipments --record-key SHP-1 --value '{"status":"loaded"}' --key max.json --wait`,
      "hansa tx record-put --namespace sensors --record-key T-7 --value-hex 0x01ff --key max.json",
      "hansa tx record-put --namespace docs --record-key bl-77 --value-file bill-of-lading.pdf --key max.json",
    ],
    options: (c) => {
      recordOptions(c);
      c.option("--value <text>", "the value as UTF-8 text")
        .option("--value-hex <0xhex>", "the value as 0x-hex bytes", parseHex)
        .option("--value-file <file>", "the value: a file's bytes (at most 64 KiB)");
    },
    body: (o, usage) => ({
      namespace: o.namespace as string,
      key: o.recordKey as string,
      value: recordValue(o, usage),
    }),
  },
  "record.delete": {
    name: "record-delete",
    summary: "delete a record; its history stays (sender: a member with write access)",
    examples: ["hansa tx record-delete --namespace shipments --record-key SHP-1 --key max.json --wait"],
    options: recordOptions,
    body: (o) => ({ namespace: o.namespace as string, key: o.recordKey as string }),
  },
  "governance.propose": {
    name: "validator-propose",
    summary: "propose adding, removing or re-powering a validator; counts as your vote (sender: a validator)",
    examples: [
      "hansa tx validator-propose --op add --name validator-5 --public-key node5/keys/validator.json --power 10 --key node1/keys/validator.json --wait",
      "hansa tx validator-propose --op remove --public-key 0x9c1d…07 --key node1/keys/validator.json --wait",
      "hansa tx validator-propose --op set_power --public-key 0x9c1d…07 --power 20 --key node1/keys/validator.json",
    ],
    options: (c) => {
      c.addOption(new Option("--op <op>", "the change").choices(VALIDATOR_OPS).makeOptionMandatory())
        .addOption(publicKeyOption("the validator"))
        .option("--name <name>", "the new validator's name (add only)", "")
        .option("--power <n>", "voting power (add and set_power)", parseUint, 0)
        .option("--force", "accept a change that lowers fault tolerance or puts quorum at risk", false);
    },
    body: (o) => ({
      op: o.op as PayloadOf<"governance.propose">["op"],
      name: o.name as string,
      publicKey: o.publicKey as Uint8Array,
      power: o.power as number,
      force: o.force === true,
    }),
  },
  "governance.vote": {
    name: "validator-vote",
    summary: "vote for a pending validator-set proposal (sender: a validator)",
    examples: ["hansa tx validator-vote --proposal 3 --key node2/keys/validator.json --wait"],
    options: (c) => {
      c.requiredOption("--proposal <id>", "the proposal id (from validator-propose's output)", parseUint);
    },
    body: (o) => ({ proposalId: o.proposal as number }),
  },
};
