import { resolve } from "node:path";
import type { Command } from "commander";
import { initHome } from "../../config/home.js";
import { action, print } from "../output.js";

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("create a node home: key, config and a one-validator genesis (a development chain)")
    .requiredOption("--home <dir>", "node home folder")
    .option("--moniker <name>", "node name", "validator-1")
    .option("--chain-id <id>", "chain id", "hansa-dev")
    .option("--rpc-port <port>", "JSON-RPC port", (v) => Number.parseInt(v, 10), 26657)
    .option("--p2p-port <port>", "libp2p TCP port", (v) => Number.parseInt(v, 10), 26656)
    .option("--passphrase-env <var>", "encrypt the key with the passphrase in this environment variable")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  hansa init --home ~/.hansa && hansa start --home ~/.hansa\n")
    .action(
      action(async (opts: Record<string, string | number | boolean | undefined>) => {
        const passphraseEnv = opts.passphraseEnv as string | undefined;
        const result = await initHome({
          home: resolve(opts.home as string),
          moniker: opts.moniker as string,
          chainId: opts.chainId as string,
          rpcPort: opts.rpcPort as number,
          p2pPort: opts.p2pPort as number,
          ...(passphraseEnv ? { passphrase: requiredEnv(passphraseEnv) } : {}),
        });
        const { config: _config, ...summary } = result;
        print(opts, summary, () =>
          [
            `initialized ${result.home}`,
            `  chain id:   ${result.chainId}`,
            `  public key: ${result.publicKey}`,
            `  address:    ${result.address}`,
            `start it with: hansa start --home ${result.home}`,
          ].join("\n"),
        );
      }),
    );
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`environment variable ${name} is not set`);
  return value;
}
