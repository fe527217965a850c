import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources, so a stale dist/ never hides a change.
    alias: {
      "@hansa/core": src("core"),
      "@hansa/consensus": src("consensus"),
      "@hansa/p2p": src("p2p"),
      "@hansa/node": src("node"),
    },
  },
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    // The fault suites take minutes and need root for network namespaces: `pnpm test:faults` runs them.
    exclude: [...configDefaults.exclude, "test/faults/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ["default"],
  },
});
