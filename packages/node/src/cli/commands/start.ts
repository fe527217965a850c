import { resolve } from "node:path";
import type { Command } from "commander";
import { loadHome } from "../../config/home.js";
import { action } from "../output.js";
import { requiredEnv } from "./init.js";
import { testHooksFromEnv } from "./test-hooks-env.js";

export function registerStart(program: Command): void {
  program
    .command("start")
    .description("run a node from its home folder until SIGINT/SIGTERM (logs: JSON lines on stdout)")
    .requiredOption("--home <dir>", "node home folder (see `hansa init`)")
    .option("--passphrase-env <var>", "passphrase of an encrypted validator key")
    .addHelpText("after", "\nExample:\n  hansa start --home ~/.hansa\n")
    .action(
      action(async (opts: { home: string; passphraseEnv?: string }) => {
        const passphrase = opts.passphraseEnv ? requiredEnv(opts.passphraseEnv) : undefined;
        // Loaded here, not at the top: the node pulls in libp2p and LevelDB, which every other command would
        // otherwise pay for at startup.
        const { HansaNode } = await import("../../runtime/node.js");
        const node = new HansaNode(await loadHome(resolve(opts.home), passphrase), {
          testHooks: await testHooksFromEnv(process.env),
        });
        let stopping = false;
        const stop = async (signal: string) => {
          if (stopping) return;
          stopping = true;
          node.logger.info("stopping", { signal });
          await node.stop();
          process.exit(0);
        };
        process.on("SIGINT", () => void stop("SIGINT"));
        process.on("SIGTERM", () => void stop("SIGTERM"));
        await node.start();
      }),
    );
}
