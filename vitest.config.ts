import { configDefaults, defineConfig } from "vitest/config";
import { SOURCE_ALIASES } from "./vitest.aliases.js";

export default defineConfig({
  resolve: { alias: SOURCE_ALIASES },
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    // The fault suites take minutes and need root for network namespaces: `pnpm test:faults` runs them.
    exclude: [...configDefaults.exclude, "test/faults/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ["default"],
  },
});
