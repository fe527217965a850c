import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { CLI_MAIN, core, node } from "./paths.mjs";

/**
 * A fresh local testnet whose validators run as real `hansa start` processes. Every process started here is
 * recorded in one registry, so the bench can stop them all on success, error or Ctrl-C (see cleanup.mjs).
 */
export const running = new Set();

async function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A base port whose RPC and P2P ports (base + 10i, base + 10i + 1) are all free now. */
async function freeBasePort(count) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + 10 * Math.floor(Math.random() * 3_000);
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = (await portFree(base + 10 * i)) && (await portFree(base + 10 * i + 1));
    if (ok) return base;
  }
  throw new Error("no free port range found for the testnet");
}

async function editJson(path, edit) {
  const json = JSON.parse(await readFile(path, "utf8"));
  edit(json);
  await writeFile(path, `${JSON.stringify(json, null, 2)}\n`);
}

/**
 * Lays out `validators` nodes (plus `observers` non-voting nodes that validators accept) in `home`.
 * `consensusParams` overrides genesis parameters, e.g. block limits; it must be applied before any start.
 */
export async function createCluster({ home, validators, observers = 0, consensusParams = {} }) {
  const basePort = await freeBasePort(validators + observers);
  const layout = await node.createTestnet({ home, validators, basePort, chainId: "hansa-bench" });
  for (const n of layout.nodes) {
    await editJson(join(n.home, "genesis.json"), (g) => Object.assign(g.consensusParams, consensusParams));
  }
  const observerNodes = [];
  for (let i = 0; i < observers; i++) {
    const rpc = basePort + 10 * (validators + i);
    const observerHome = join(home, `observer${i + 1}`);
    const genesis = core.genesisFromJson(
      JSON.parse(await readFile(join(layout.nodes[0].home, "genesis.json"), "utf8")),
    );
    const peers = layout.nodes.map((n) => ({ publicKey: n.publicKey, addrs: [n.p2pAddr] }));
    const init = await node.initHome({
      home: observerHome,
      moniker: `observer-${i + 1}`,
      chainId: layout.chainId,
      rpcPort: rpc,
      p2pPort: rpc + 1,
      genesis,
      peers,
    });
    for (const n of layout.nodes) {
      await editJson(join(n.home, "config.json"), (c) => c.p2p.observers.push(init.publicKey));
    }
    observerNodes.push({ moniker: `observer-${i + 1}`, home: observerHome, rpcUrl: `http://127.0.0.1:${rpc}` });
  }
  return { ...layout, observers: observerNodes };
}

/**
 * Starts `hansa start --home <home>`; its output goes straight to <home>/node.log, never through the bench.
 * `cpuProfDir` runs it under `node --cpu-prof` (the profile is written when it exits).
 */
export function startNode(n, { cpuProfDir } = {}) {
  const fd = openSync(join(n.home, "node.log"), "a");
  const prof = cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`] : [];
  // Extra runtime flags for experiments (V8 takes the last of a repeated flag, so these override the defaults).
  const extra = (process.env.HANSA_BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const child = spawn(
    process.execPath,
    [...node.NODE_RUNTIME_FLAGS, ...extra, ...prof, CLI_MAIN, "start", "--home", n.home],
    {
      stdio: ["ignore", fd, fd],
      env: { ...process.env, ...node.NODE_RUNTIME_ENV },
    },
  );
  closeSync(fd);
  const proc = { ...n, child, pid: child.pid, exited: false };
  running.add(proc);
  child.once("exit", (code, signal) => {
    proc.exited = true;
    running.delete(proc);
    if (!stopping.has(proc))
      process.stderr.write(`${n.moniker} exited (${signal ?? `code ${code}`}); see ${n.home}/node.log\n`);
  });
  return proc;
}

const stopping = new Set();

/** SIGTERM, then SIGKILL after `graceMs`; resolves once every given process has exited. */
export async function stopNodes(procs, graceMs = 10_000) {
  await Promise.all(
    procs.map(
      (p) =>
        new Promise((resolve) => {
          if (p.exited) return resolve();
          stopping.add(p);
          const timer = setTimeout(() => p.child.kill("SIGKILL"), graceMs);
          p.child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          p.child.kill("SIGTERM");
        }),
    ),
  );
}

/** Last resort on process exit: synchronous, so it works from an `exit` handler. */
export function killAllNow() {
  for (const p of running) {
    try {
      p.child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}

export async function waitHealthy(nodes, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (const n of nodes) {
    for (;;) {
      try {
        const res = await fetch(`${n.rpcUrl}/health`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${n.moniker} did not become healthy within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
