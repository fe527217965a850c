// Lets a plain Node 24 child process run the TypeScript sources directly: Node strips the types itself, and
// this hook maps the workspace package names and the `.js` suffixes of relative imports to the `.ts` files.
import { existsSync } from "node:fs";
import { registerHooks } from "node:module";
import { fileURLToPath } from "node:url";

const packages = new URL("../../../../", import.meta.url);
const aliases = new Map(
  ["core", "consensus", "p2p", "node"].map((name) => [
    `@hansa/${name}`,
    new URL(`${name}/src/index.ts`, packages).href,
  ]),
);

registerHooks({
  resolve(specifier, context, nextResolve) {
    const alias = aliases.get(specifier);
    if (alias) return { url: alias, shortCircuit: true };
    if (specifier.startsWith(".") && specifier.endsWith(".js") && context.parentURL?.endsWith(".ts")) {
      const ts = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
      if (existsSync(fileURLToPath(ts))) return { url: ts.href, shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
});
