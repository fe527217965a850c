import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { createTestnet, readTestnet } from "../../testnet/layout.js";
import { TestnetSupervisor } from "../../testnet/supervisor.js";
import { action, print } from "../output.js";

const CLI_MAIN = fileURLToPath(new URL("../main.js", import.meta.url));

export function registerTestnet(program: Command): void {
  program
    .command("testnet")
    .description("generate (or resume) a local testnet and run every validator as its own process")
    .option("--validators <n>", "number of validators", (v) => Number.parseInt(v, 10), 4)
    .option("--home <dir>", "testnet folder (reused if it exists: the chain resumes)", ".hansa-testnet")
    .option(
      "--base-port <port>",
      "node i listens on RPC base+10i and P2P base+10i+1",
      (v) => Number.parseInt(v, 10),
      26600,
    )
    .option("--chain-id <id>", "chain id of a new testnet", "hansa-testnet")
    .option("--json", "print the layout as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  hansa testnet                       # 4 validators in ./.hansa-testnet\n  hansa testnet --validators 7 --home /tmp/net --base-port 36600\n\nCtrl-C (or SIGTERM) stops every node; run the same command again to resume the chain.\n",
    )
    .action(
      action(async (opts: { validators: number; home: string; basePort: number; chainId: string; json?: boolean }) => {
        if (!Number.isInteger(opts.validators) || opts.validators < 1 || opts.validators > 64) {
          throw new Error("--validators must be between 1 and 64");
        }
        const home = resolve(opts.home);
        let layout = await readTestnet(home);
        const resumed = layout !== undefined;
        if (layout && layout.nodes.length !== opts.validators) {
          throw new Error(
            `${home} holds a testnet of ${layout.nodes.length} validators; use another --home or the same count`,
          );
        }
        layout ??= await createTestnet({
          home,
          validators: opts.validators,
          basePort: opts.basePort,
          chainId: opts.chainId,
        });
        const supervisor = new TestnetSupervisor({
          layout,
          cliMain: CLI_MAIN,
          onExit: (node, code, signal) =>
            process.stderr.write(`${node.moniker} exited (${signal ?? `code ${code}`}); see ${node.home}/node.log\n`),
        });
        let stopping = false;
        const stop = async () => {
          if (stopping) return;
          stopping = true;
          process.stderr.write("stopping testnet…\n");
          await supervisor.stop();
          process.stderr.write("all nodes stopped\n");
          process.exit(0);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
        supervisor.start();
        await supervisor.waitHealthy();
        print(opts, { home, resumed, ...layout }, () =>
          [
            `${resumed ? "resumed" : "started"} testnet "${layout.chainId}" in ${home}`,
            ...layout.nodes.map((n) => `  ${n.moniker.padEnd(14)} RPC ${n.rpcUrl}   P2P ${n.p2pAddr}`),
            "organization admin keys (for `hansa tx --key …`):",
            ...layout.accounts.map((a) => `  ${a.organization.padEnd(14)} ${a.keyFile}`),
            "logs: <node home>/node.log — press Ctrl-C to stop",
          ].join("\n"),
        );
      }),
    );
}
