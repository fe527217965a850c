import { fileURLToPath } from "node:url";

/** Where the built packages live; the bench runs against dist/, so `pnpm bench` builds first. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CLI_MAIN = `${ROOT}packages/node/dist/cli/main.js`;
export const RESULTS_FILE = `${ROOT}docs/benchmarks.md`;
export const ETCD_SCRIPT = "/work/shared/bench/etcd-baseline.sh";

export const core = await import(`${ROOT}packages/core/dist/index.js`);
export const node = await import(`${ROOT}packages/node/dist/index.js`);
