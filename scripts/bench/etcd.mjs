import { spawn } from "node:child_process";
import { ETCD_SCRIPT } from "./paths.mjs";

/** Runs the etcd baseline script (a 3-member etcd on loopback) and returns its one-line summary. */
export function runEtcdBaseline() {
  return new Promise((resolve) => {
    const child = spawn("bash", [ETCD_SCRIPT], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    child.on("error", (err) => resolve(`etcd baseline could not run: ${err.message}`));
    child.on("exit", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      resolve(code === 0 ? line : `etcd baseline failed (exit ${code}): ${line}`);
    });
  });
}
