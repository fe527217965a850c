// Runs the example of packages/core/README.md, so the README never shows code that does not work.
import { readFileSync } from "node:fs";
import * as core from "@hansa/core";
import { describe, expect, it } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README example", () => {
  it("imports only what @hansa/core exports, and runs", async () => {
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const importMatch = /^import \{([^}]*)\} from "@hansa\/core";\n/m.exec(block!);
    expect(importMatch).not.toBeNull();
    const names = importMatch![1]!
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean);
    for (const name of names) expect(core, name).toHaveProperty(name);
    // The block is plain JavaScript apart from its import: run it with the imports as parameters.
    const body = block!.replace(importMatch![0], "");
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
      ...args: string[]
    ) => (...values: unknown[]) => Promise<void>;
    const run = new AsyncFunction(...names, body);
    await run(...names.map((n) => (core as Record<string, unknown>)[n]));
  });
});
