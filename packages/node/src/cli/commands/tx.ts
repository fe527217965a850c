import { resolve } from "node:path";
import { loadKeyFile } from "@hansa/core";
import type { Command } from "commander";
import { buildPayload, type TxKind } from "../../ledger/index.js";
import { parsePositive, parseUint } from "../args.js";
import { fields } from "../format.js";
import { print } from "../output.js";
import {
  addRpcOptions,
  CommandError,
  createClient,
  exitTwoOnUsageError,
  type RpcOptions,
  rpcAction,
} from "../rpc-command.js";
import { showCommitted } from "../show.js";
import { TX_COMMANDS, type TxCommandSpec } from "../tx-kinds.js";
import { requiredEnv } from "./init.js";

interface TxOptions extends RpcOptions {
  key: string;
  passphraseEnv?: string;
  wait?: boolean;
  timeout: number;
  nonce?: number;
}

export function registerTx(program: Command): void {
  const tx = exitTwoOnUsageError(program.command("tx"))
    .description("build, sign and submit a transaction (one subcommand per transaction kind)")
    .addHelpText(
      "after",
      [
        "",
        "Every subcommand signs with --key (a key file) and sends to --rpc (default http://127.0.0.1:26657, or $HANSA_RPC).",
        "Without --wait it prints the transaction hash once the node admitted it; with --wait, the committed receipt.",
        "",
        "Example:",
        `  hansa tx record-put --namespace shipments --record-key SHP-1 --value '{"status":"loaded"}' --key max.json --wait`,
        "",
      ].join("\n"),
    );
  for (const kind of Object.keys(TX_COMMANDS) as TxKind[]) {
    registerKind(tx, kind, TX_COMMANDS[kind] as TxCommandSpec<TxKind>);
  }
}

function registerKind(tx: Command, kind: TxKind, spec: TxCommandSpec<TxKind>): void {
  const command = tx.command(spec.name).description(`${spec.summary} [${kind}]`);
  spec.options(command);
  command
    .requiredOption("--key <file>", "key file of the sender, who signs")
    .option("--passphrase-env <var>", "environment variable holding the key file's passphrase, if encrypted")
    .option("--wait", "wait until the transaction is committed and print its receipt")
    .option("--timeout <ms>", "with --wait: how long to wait for the commit (at most 60000)", parsePositive, 30_000)
    .option("--nonce <n>", "sign with this nonce instead of the node's pendingNonce", parseUint);
  addRpcOptions(command).addHelpText(
    "after",
    `\nExample${spec.examples.length > 1 ? "s" : ""}:\n${spec.examples.map((e) => `  ${e}`).join("\n")}\n`,
  );
  command.action(
    rpcAction(async (opts: TxOptions & Record<string, unknown>, cmd: Command) => {
      const body = spec.body(opts, (message) => cmd.error(`error: ${message}`));
      const { payload } = buildPayload(kind, body);
      const passphrase = opts.passphraseEnv ? requiredEnv(opts.passphraseEnv) : undefined;
      const { secretKey } = await loadKeyFile(resolve(opts.key), passphrase);
      const client = createClient(opts);
      const nonce = opts.nonce === undefined ? {} : { nonce: opts.nonce };
      if (!opts.wait) {
        const submitted = await client.submit(kind, payload, secretKey, nonce);
        print(opts, submitted, () =>
          [
            `submitted ${submitted.hash}`,
            fields([["nonce", submitted.nonce]], "  "),
            `follow it with: hansa query tx ${submitted.hash} --rpc ${opts.rpc}`,
          ].join("\n"),
        );
        return;
      }
      const committed = await client.submitAndWait(kind, payload, secretKey, { ...nonce, timeoutMs: opts.timeout });
      print(opts, committed, () => showCommitted(committed));
      // Committed but failed: the nonce is spent and the receipt proves the failure, yet the command did not
      // do what was asked, so a script must see it.
      if (!committed.receipt.ok) {
        if (!opts.json) {
          throw new CommandError(committed.receipt.code, `transaction failed: ${committed.receipt.message}`, {
            hash: committed.hash,
            height: committed.height,
          });
        }
        process.exitCode = 1;
      }
    }),
  );
}
