#!/usr/bin/env node
import { Command } from "commander";
import { registerInit } from "./commands/init.js";
import { registerKeys } from "./commands/keys.js";
import { registerQuery } from "./commands/query.js";
import { registerStart } from "./commands/start.js";
import { registerTestnet } from "./commands/testnet.js";
import { registerTx } from "./commands/tx.js";

const program = new Command()
  .name("hansa")
  .description("Hansa: a permissioned BFT blockchain node for consortium chains")
  .version("0.1.0")
  .showHelpAfterError();

registerInit(program);
registerKeys(program);
registerStart(program);
registerTestnet(program);
registerTx(program);
registerQuery(program);

await program.parseAsync(process.argv);
