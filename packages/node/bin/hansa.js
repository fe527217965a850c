#!/usr/bin/env node
// The `hansa` command. Hansa runs on Node.js 24 (libp2p 3 needs >= 22); the workspace pins it through the
// `node@24` devDependency. When this shim starts on an older Node (a shell's system node), or when it starts
// a validator (`hansa start`, which runs with a capped V8 heap and fewer malloc arenas), it re-runs the CLI as a child process,
// forwarding arguments, stdio and signals.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, "..", "dist", "cli", "main.js");
const major = Number(process.versions.node.split(".")[0]);

function pinnedNode() {
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", ".bin", "node");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

const startsValidator = process.argv[2] === "start";
if (major >= 24 && !startsValidator) {
  await import(main);
} else {
  const node = major >= 24 ? process.execPath : pinnedNode();
  if (!node) {
    console.error(`hansa needs Node.js 24 or newer (found ${process.version}); run it through \`pnpm exec hansa\`.`);
    process.exit(1);
  }
  const runtime = startsValidator ? await import(join(here, "..", "dist", "testnet", "runtime-flags.js")) : undefined;
  const flags = runtime?.NODE_RUNTIME_FLAGS ?? [];
  const env = { ...process.env, ...runtime?.NODE_RUNTIME_ENV };
  const child = spawn(node, [...flags, main, ...process.argv.slice(2)], { stdio: "inherit", env });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}
