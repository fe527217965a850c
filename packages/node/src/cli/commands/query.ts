import type { Command } from "commander";
import { type BlockRef, parseAccount, parseBlockRef, parseHash, parsePositive, parseUint } from "../args.js";
import { fields, showTime, yesNo } from "../format.js";
import { print } from "../output.js";
import { addRpcOptions, createClient, exitTwoOnUsageError, type RpcOptions, rpcAction } from "../rpc-command.js";
import { showBlock, showHistory, showRecord, showTxStatus } from "../show.js";

interface QuerySpec {
  summary: string;
  examples: string[];
  /** Positional arguments with their parsers. */
  args?: { name: string; description: string; parse?: (value: string) => unknown; optional?: boolean }[];
  options?: (command: Command) => void;
  run: (options: RpcOptions & Record<string, unknown>, ...args: never[]) => Promise<void>;
}

export function registerQuery(program: Command): void {
  const query = exitTwoOnUsageError(program.command("query"))
    .description("read the chain: status, blocks, transactions, accounts, records and their history")
    .addHelpText(
      "after",
      "\nEvery subcommand asks --rpc (default http://127.0.0.1:26657, or $HANSA_RPC); --json prints the raw result.\n\nExample:\n  hansa query record shipments SHP-1 --rpc http://127.0.0.1:26657\n",
    );
  for (const [name, spec] of Object.entries(QUERIES)) {
    const command = query.command(name).description(spec.summary);
    for (const a of spec.args ?? []) {
      const arg = command.createArgument(a.optional ? `[${a.name}]` : `<${a.name}>`, a.description);
      if (a.parse) arg.argParser(a.parse);
      command.addArgument(arg);
    }
    spec.options?.(command);
    addRpcOptions(command).addHelpText(
      "after",
      `\nExample${spec.examples.length > 1 ? "s" : ""}:\n${spec.examples.map((e) => `  ${e}`).join("\n")}\n`,
    );
    command.action(
      rpcAction(async (...args: unknown[]) => {
        // commander passes the positional arguments, then the options, then the command.
        const positional = args.slice(0, spec.args?.length ?? 0);
        const options = args[positional.length] as RpcOptions & Record<string, unknown>;
        await spec.run(options, ...(positional as never[]));
      }),
    );
  }
}

const QUERIES: Record<string, QuerySpec> = {
  status: {
    summary: "the node's chain, height, sync state and peers",
    examples: ["hansa query status", "hansa query status --rpc http://10.0.0.5:26657 --json"],
    run: async (opts) => {
      const s = await createClient(opts).chainStatus();
      print(opts, s, () =>
        fields([
          ["chain", s.chainId],
          ["height", s.height],
          ["latest block", s.latestBlockHash === null ? "-" : `${s.latestBlockHash} at ${showTime(s.latestBlockTime)}`],
          ["syncing", yesNo(s.syncing)],
          ["voting", yesNo(s.isValidator)],
          ["node id", s.nodeId],
          ["peers", s.peers],
        ]),
      );
    },
  },
  block: {
    summary: "a block by height, `latest`, or hash",
    args: [{ name: "ref", description: "a height, latest, or a 0x block hash", parse: parseBlockRef }],
    examples: ["hansa query block latest", "hansa query block 42 --json", "hansa query block 0x9f1e…c2"],
    run: async (opts, ref: BlockRef) => {
      const client = createClient(opts);
      const block = "hash" in ref ? await client.blockGetByHash(ref.hash) : await client.blockGet(ref.height);
      print(opts, block, () => showBlock(block));
    },
  },
  tx: {
    summary: "a transaction by hash: committed (with receipt), pending, or evicted",
    args: [{ name: "hash", description: "the transaction hash (0x…)", parse: parseHash }],
    examples: ["hansa query tx 0x5b2c…c142", "hansa query tx 0x5b2c…c142 --json"],
    run: async (opts, hash: string) => {
      const status = await createClient(opts).txGet(hash);
      print(opts, status, () => showTxStatus(status));
    },
  },
  account: {
    summary: "an account's organization, roles and nonces",
    args: [{ name: "account", description: "a hansa1… address, a 0x public key, or a key file", parse: parseAccount }],
    examples: [
      "hansa query account hansa1k4y3cfd43m5fuzpggyp2s2v55uzuhl3gsq6vla",
      "hansa query account 0x3b6a…c1 --json",
    ],
    run: async (opts, account: string) => {
      const a = await createClient(opts).accountGet(account);
      print(opts, a, () =>
        fields([
          ["address", a.address],
          ["public key", a.publicKey ?? "(unknown: the account never sent a transaction)"],
          ["organization", a.organization ?? "(none)"],
          ["roles", a.roles.length > 0 ? a.roles.join(", ") : "(none)"],
          ["nonce", a.nonce],
          ["pending nonce", a.pendingNonce],
        ]),
      );
    },
  },
  record: {
    summary: "a record's current value, with the proof against the latest state root",
    args: [
      { name: "namespace", description: "the namespace" },
      { name: "key", description: "the record's key" },
    ],
    examples: [
      "hansa query record shipments SHP-1",
      "hansa query record shipments SHP-1 --json   # includes the proof",
    ],
    run: async (opts, namespace: string, key: string) => {
      const r = await createClient(opts).stateGet(namespace, key);
      print(opts, r, () => showRecord(r));
    },
  },
  history: {
    summary: "every version of a record, newest first, a page at a time",
    args: [
      { name: "namespace", description: "the namespace" },
      { name: "key", description: "the record's key" },
    ],
    options: (c) => {
      c.option("--limit <n>", "versions per page (1 to 100)", parsePositive).option(
        "--cursor <cursor>",
        "start at this version: the previous page's next cursor",
      );
    },
    examples: ["hansa query history shipments SHP-1", "hansa query history shipments SHP-1 --limit 10 --cursor 9"],
    run: async (opts, namespace: string, key: string) => {
      const options = {
        ...(opts.limit === undefined ? {} : { limit: opts.limit as number }),
        ...(opts.cursor === undefined ? {} : { cursor: opts.cursor as string }),
      };
      const h = await createClient(opts).stateHistory(namespace, key, options);
      print(opts, h, () => showHistory(h));
    },
  },
  validators: {
    summary: "the validator set voting at a height (default: the next block)",
    args: [{ name: "height", description: "a block height", parse: parseUint, optional: true }],
    examples: ["hansa query validators", "hansa query validators 12 --json"],
    run: async (opts, height: number | undefined) => {
      const v = await createClient(opts).chainValidators(height);
      print(opts, v, () =>
        [
          fields([
            ["height", v.height],
            ["set hash", v.hash],
            ["total power", v.totalPower],
          ]),
          ...v.validators.map(
            (x) => `  ${x.name.padEnd(16)} power ${String(x.power).padEnd(6)} ${x.address}  ${x.publicKey}`,
          ),
        ].join("\n"),
      );
    },
  },
  mempool: {
    summary: "pending transactions: count and bytes, against the limits",
    examples: ["hansa query mempool --json"],
    run: async (opts) => {
      const m = await createClient(opts).mempoolStatus();
      print(opts, m, () =>
        fields([
          ["transactions", `${m.size} of ${m.maxSize}`],
          ["bytes", `${m.bytes} of ${m.maxBytes}`],
        ]),
      );
    },
  },
  peers: {
    summary: "the node's connected peers",
    examples: ["hansa query peers"],
    run: async (opts) => {
      const peers = await createClient(opts).netPeers();
      print(opts, peers, () =>
        peers.length === 0
          ? "no peers connected"
          : peers.map((p) => `${p.validator ?? "(observer)"}  ${p.id}\n  ${p.addresses.join("\n  ")}`).join("\n"),
      );
    },
  },
  evidence: {
    summary: "validators' equivocation recorded on chain, from a height on",
    args: [
      { name: "fromHeight", description: "first block height to list (default 1)", parse: parseUint, optional: true },
    ],
    examples: ["hansa query evidence", "hansa query evidence 120 --json"],
    run: async (opts, fromHeight: number | undefined) => {
      const page = await createClient(opts).evidenceList({ fromHeight: fromHeight ?? 1, limit: 100 });
      print(opts, page, () =>
        page.evidence.length === 0
          ? "no evidence on chain"
          : page.evidence
              .map(
                (e) =>
                  `block ${e.includedHeight}: ${e.kind} by ${e.validator} at height ${e.height} round ${e.round} (${e.step})`,
              )
              .join("\n") + (page.next ? `\nmore from height ${page.next.fromHeight}` : ""),
      );
    },
  },
};
