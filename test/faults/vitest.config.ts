import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { SOURCE_ALIASES } from "../../vitest.aliases.js";

/**
 * The fault suites (run through run.mjs): one file at a time, each a long run of real processes, so no
 * parallel files and long timeouts. Not part of the root config's `pnpm test`.
 */
export default defineConfig({
  resolve: { alias: SOURCE_ALIASES },
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["test/faults/**/*.faults.test.ts"],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
