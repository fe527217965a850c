import { fileURLToPath } from "node:url";

const source = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

/**
 * Tests run against the TypeScript sources, so a stale dist/ never hides a change. Shared by every vitest
 * config of the repository; the longer specifier comes first, as the first matching alias wins.
 */
export const SOURCE_ALIASES: Record<string, string> = {
  "@hansa/consensus/sim": source("consensus/src/sim/index.ts"),
  "@hansa/core": source("core/src/index.ts"),
  "@hansa/consensus": source("consensus/src/index.ts"),
  "@hansa/p2p": source("p2p/src/index.ts"),
  "@hansa/node": source("node/src/index.ts"),
};
